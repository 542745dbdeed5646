// A workload for MuJS: closures, prototypes, exceptions (setjmp/longjmp in the interpreter),
// regular expressions, JSON, arrays, strings and the garbage collector. Deterministic output.
function check(name, got, want) {
  if (got !== want) throw new Error(name + ": got " + got + ", want " + want);
  print(name + "\t" + got);
}

var acc = 0;
for (var i = 1; i <= 200000; ++i) acc = (acc * 31 + i) % 1000003;
check("lcg", acc, 905564);
check("numbers", (0.1 + 0.2).toFixed(10) + " " + (255).toString(16) + " " + Math.floor(-3.5) + " " +
      (1e21).toString() + " " + (123.456).toPrecision(4), "0.3000000000 ff -4 1e+21 123.5");

var a = [];
for (var i = 0; i < 20000; ++i) a.push((i * 7919) % 20011);
a.sort(function (x, y) { return y - x; });
check("sort", a.slice(0, 3).join(","), "20010,20009,20008");
check("array methods", [1, 2, 3, 4].map(function (x) { return x * x; }).filter(function (x) {
  return x % 2 === 0; }).reduce(function (s, x) { return s + x; }, 0), 20);
check("splice", [1, 2, 3, 4, 5].splice(1, 2).concat([9]).reverse().join(""), "932");

function Counter(start) { this.n = start; }
Counter.prototype.next = function () { return ++this.n; };
function Named(start, name) { Counter.call(this, start); this.name = name; }
Named.prototype = Object.create(Counter.prototype);
Named.prototype.toString = function () { return this.name + "=" + this.n; };
var c = new Named(41, "c");
c.next();
check("prototypes", String(c) + " " + (c instanceof Counter), "c=42 true");

function makeAdders() {
  var fs = [];
  for (var i = 0; i < 5; ++i) fs.push((function (k) { return function (x) { return x + k; }; })(i));
  return fs;
}
check("closures", makeAdders().map(function (f) { return f(10); }).join(","), "10,11,12,13,14");

function thrower(depth) { if (depth === 0) throw { code: 7 }; return thrower(depth - 1); }
var caught = 0;
for (var i = 0; i < 2000; ++i) {
  try { thrower(i % 20); } catch (e) { caught += e.code; } finally { caught += 1; }
}
check("exceptions", caught, 16000);
try { null.x; } catch (e) { check("type error", e instanceof TypeError, true); }

check("regexp", "2024-01-15 and 1999-12-31".replace(/(\d+)-(\d+)-(\d+)/g, "$3/$2/$1"), "15/01/2024 and 31/12/1999");
var m = /(\w+)@(\w+)\.com/.exec("mail bob@example.com now");
check("regexp exec", m[1] + " at " + m[2] + " index " + m.index, "bob at example index 5");
check("split", "a1b22c333d".split(/\d+/).join("|"), "a|b|c|d");

var obj = { name: "x", list: [1, 2, { deep: true }], n: 1.5, s: "q\"\n" };
var text = JSON.stringify(obj);
check("json", text, "{\"list\":[1,2,{\"deep\":true}],\"n\":1.5,\"name\":\"x\",\"s\":\"q\\\"\\n\"}");
check("json round trip", JSON.stringify(JSON.parse(text)) === text, true);

var s = "";
for (var i = 0; i < 3000; ++i) s += String.fromCharCode(65 + i % 26);
check("strings", s.length + " " + s.indexOf("XYZ") + " " + s.substring(25, 30).toLowerCase(), "3000 23 zabcd");
var words = {};
"the quick brown fox jumps over the lazy dog the end".split(" ").forEach(function (w) {
  words[w] = (words[w] || 0) + 1; });
check("objects as maps", Object.keys(words).length + " " + words.the, "9 3");

var garbage = 0;
for (var i = 0; i < 50000; ++i) { var o = { a: [i, i + 1], b: "s" + i }; garbage += o.a[1] - o.a[0]; }
check("garbage", garbage, 50000);
print("all checks passed");
