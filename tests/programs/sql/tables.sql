-- Tables, indexes, joins, aggregates, a recursive CTE, and an error in the middle.
CREATE TABLE author(id INTEGER PRIMARY KEY, name TEXT NOT NULL, born INTEGER);
CREATE TABLE book(id INTEGER PRIMARY KEY, author INTEGER REFERENCES author(id), title TEXT,
                  year INTEGER, price REAL);
CREATE INDEX book_year ON book(year);
CREATE UNIQUE INDEX author_name ON author(name);
INSERT INTO author(name, born) VALUES ('Ada', 1815), ('Grace', 1906), ('Edsger', 1930);
INSERT INTO book(author, title, year, price) VALUES
  (1, 'Notes', 1843, 12.5), (2, 'Compilers', 1952, 30.0), (3, 'Structured', 1972, 25.75),
  (3, 'Discipline', 1976, 40.0), (2, 'COBOL', 1959, NULL);
.headers on
.mode column
SELECT a.name, count(*) AS books, round(avg(b.price), 2) AS avg_price
  FROM author a JOIN book b ON b.author = a.id GROUP BY a.id ORDER BY books DESC, a.name;
SELECT title FROM book WHERE year BETWEEN 1950 AND 1975 ORDER BY year;
EXPLAIN QUERY PLAN SELECT title FROM book WHERE year > 1960;
INSERT INTO author(name) VALUES ('Ada');
SELECT 'still running after the constraint error';
WITH RECURSIVE fib(n, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT n + 1, b, a + b FROM fib WHERE n < 30)
  SELECT n, a FROM fib WHERE n % 5 = 0;
SELECT printf('%08.3f|%-6s|%x', 3.14159, 'ab', 255), upper('mixed Case'), length(zeroblob(10));
.mode list
SELECT date('2024-02-28', '+2 days'), strftime('%Y-%j', '2024-12-31');
SELECT * FROM missing_table;
