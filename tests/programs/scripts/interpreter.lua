-- A workload for Lua's interpreter: every opcode family, the standard libraries, coroutines,
-- metatables, closures, goto, errors, and the garbage collector. Prints only deterministic text.
local function check(name, got, want)
  if got ~= want then error(name .. ": got " .. tostring(got) .. ", want " .. tostring(want)) end
  print(name, got)
end

-- Arithmetic, integers and floats, bitwise operators.
local acc = 0
for i = 1, 300000 do acc = (acc * 31 + i) % 1000000007 end
check("lcg", acc, 207158797)
check("int ops", 7 // 2 + 7 % 3 + (1 << 40) + (0xff ~ 0x0f) + (~0 & 0xfff), 1099511632115)
check("float ops", string.format("%.6f", math.sqrt(2) * math.pi / 3.5), "1.269395")
check("tointeger", math.tointeger(2 ^ 53), 9007199254740992)

-- Tables: array part, hash part, sort with a comparator, table library.
local t = {}
for i = 1, 50000 do t[i] = (i * 7919) % 50021 end
table.sort(t, function(a, b) return a > b end)
check("sorted head", t[1] .. "," .. t[2] .. "," .. t[#t], "50020,50019,1")
local h = {}
for i = 1, 20000 do h["k" .. i] = i end
local s = 0
for k, v in pairs(h) do s = s + v end
check("hash sum", s, 200010000)
check("concat", table.concat({1, 2, 3, "x"}, "-"), "1-2-3-x")
local moved = table.move({1, 2, 3, 4, 5}, 2, 4, 1)
check("move", table.concat(moved, ","), "2,3,4,4,5")
check("unpack", select("#", table.unpack({1, nil, 3}, 1, 3)), 3)

-- Strings and patterns.
check("gsub", (string.gsub("hello world from lua", "(%w+)", "<%1>")), "<hello> <world> <from> <lua>")
check("find", select(2, string.find("abc = 123", "(%d+)")), 9)
check("format", string.format("%5.2f|%q|%x|%-5s|", math.pi, "a\nb", 255, "ab"), " 3.14|\"a\\\nb\"|ff|ab   |")
check("rep", ("ab"):rep(3, "-"), "ab-ab-ab")
check("byte/char", string.char(("Lua"):byte(1, -1)), "Lua")
check("pack", string.unpack("<i4", string.pack("<i4", -123456)), -123456)
local words = {}
for w in string.gmatch("one two  three", "%a+") do words[#words + 1] = w:upper() end
check("gmatch", table.concat(words, " "), "ONE TWO THREE")
check("utf8", utf8.len("h\u{E9}llo \u{1F600}"), 7)

-- Closures and upvalues, varargs, tail calls.
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
c1(); c1()
check("closures", c1() * 10 + c2(), 31)
local function sum(...)
  local total = 0
  for _, v in ipairs({...}) do total = total + v end
  return total
end
check("varargs", sum(1, 2, 3, 4, 5), 15)
local function loop(n, a) if n == 0 then return a end return loop(n - 1, a + n) end
check("tail calls", loop(100000, 0), 5000050000)

-- Metatables: arithmetic, index, call, tostring, comparison.
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x, y = a.y + b.y}, V) end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__lt = function(a, b) return a.x < b.x end
V.__tostring = function(v) return "(" .. v.x .. "," .. v.y .. ")" end
V.__call = function(v, k) return v.x * k end
function V.len(v) return v.x + v.y end
local a, b = setmetatable({x = 1, y = 2}, V), setmetatable({x = 3, y = 4}, V)
check("metatables", tostring(a + b) .. (a + b):len() .. tostring(a < b) .. a(10), "(4,6)10true10")
check("__eq", a + b == setmetatable({x = 4, y = 6}, V), true)
local proxy = setmetatable({}, {__index = function(_, k) return k .. "!" end})
check("__index fn", proxy.hi, "hi!")

-- Coroutines.
local gen = coroutine.wrap(function(x)
  for i = 1, 3 do x = coroutine.yield(x + i) end
  return "done"
end)
check("coroutines", gen(1) .. "," .. gen(10) .. "," .. gen(100) .. "," .. gen(1000), "2,12,103,done")
local co = coroutine.create(function() error("inside") end)
local ok, msg = coroutine.resume(co)
check("coroutine error", tostring(ok) .. " " .. msg:gsub("^.-:%d+: ", ""), "false inside")

-- goto, errors with tables, pcall, xpcall, error levels.
local n = 0
::again::
n = n + 1
if n < 5 then goto again end
check("goto", n, 5)
ok, msg = pcall(error, {code = 42})
check("error table", msg.code, 42)
ok, msg = xpcall(function() local x = nil; return x.y end, function(m) return "handled" end)
check("xpcall", msg, "handled")
check("integer overflow wraps", math.maxinteger + 1 == math.mininteger, true)

-- load and string.dump round trip, environments.
local f = load("local a, b = ... return a * b + x", "chunk", "t", {x = 7})
check("load", f(6, 7), 49)
local dumped = load(string.dump(function(p) return p .. "?" end))
check("dump", dumped("q"), "q?")

-- Garbage collection: many short-lived tables and strings, weak tables, finalizers.
local weak = setmetatable({}, {__mode = "k"})
local finalized = 0
for i = 1, 2000 do
  local obj = setmetatable({}, {__gc = function() finalized = finalized + 1 end})
  weak[obj] = i
end
collectgarbage(); collectgarbage()
local left = 0
for _ in pairs(weak) do left = left + 1 end
check("gc weak", left, 0)
check("gc finalizers", finalized, 2000)
local parts = {}
for i = 1, 20000 do parts[#parts + 1] = tostring(i):rep(3) end
check("strings", #table.concat(parts), 3 * 88894)
print("all checks passed")
