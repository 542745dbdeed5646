-- Window functions, JSON, math functions, full-text search (FTS5).
CREATE TABLE sale(region TEXT, month INTEGER, amount REAL);
WITH RECURSIVE m(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM m WHERE x < 12)
  INSERT INTO sale SELECT r, x, (x * 37 + length(r) * 11) % 101 FROM m, (SELECT 'north' AS r UNION ALL SELECT 'south');
SELECT region, month, amount,
       sum(amount) OVER (PARTITION BY region ORDER BY month ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS rolling,
       rank() OVER (PARTITION BY region ORDER BY amount DESC) AS r,
       lag(amount) OVER (PARTITION BY region ORDER BY month) AS prev
  FROM sale ORDER BY region, month;
SELECT json_group_array(json_object('m', month, 'a', amount)) FROM sale WHERE region = 'north' AND month <= 3;
SELECT value FROM json_each('[1, "two", {"three": 3}, null]');
SELECT json_extract('{"a": {"b": [10, 20, 30]}}', '$.a.b[1]'), json_valid('{bad');
SELECT round(sqrt(2), 6), round(pi(), 6), pow(2, 10), log10(1000);
CREATE VIRTUAL TABLE doc USING fts5(title, body);
INSERT INTO doc VALUES ('hot swap', 'replace one function while threads keep calling it'),
                       ('linker', 'vague linkage and weak symbols resolved as the static linker does'),
                       ('reclamation', 'free old code after every thread has left it');
SELECT title FROM doc WHERE doc MATCH 'thread*' ORDER BY rank;
SELECT highlight(doc, 1, '[', ']') FROM doc WHERE doc MATCH 'linker OR weak';
SELECT json('{"unterminated": ');
