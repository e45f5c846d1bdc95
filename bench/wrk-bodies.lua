-- wrk script of bench/throughput.mjs: POSTs form bodies read from a file, one line per request.
--   wrk ... -s bench/wrk-bodies.lua <url> -- <bodies file> <threads> <once|cycle>
-- "once": no body is sent twice (single-use assertions and ID-JAGs): thread i of n takes lines
-- i, i+n, i+2n..., and requests beyond a thread's lines are counted as "exhausted" (and resend
-- its last body, which the tenant refuses). "cycle": every thread repeats all the bodies
-- (reusable credentials). Every answer other than 200 is counted. done() prints one line:
-- WRK_RESULT {json}.
local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, count, mode = args[1], tonumber(args[2]), args[3]
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  reqs, n, sent, non200, exhausted = {}, 0, 0, 0, 0
  cycle = mode == "cycle"
  local line = 0
  for body in io.lines(file) do
    if cycle or line % count == index then
      n = n + 1
      reqs[n] = wrk.format("POST", nil, headers, body)
    end
    line = line + 1
  end
  assert(n > 0, "no bodies for thread " .. index .. " in " .. file)
end

function request()
  sent = sent + 1
  if sent > n then
    if cycle then
      sent = 1
    else
      exhausted = exhausted + 1
      sent = n
    end
  end
  return reqs[sent]
end

function response(status)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency)
  local non, ex = 0, 0
  for _, t in ipairs(threads) do
    non = non + t:get("non200")
    ex = ex + t:get("exhausted")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"non200":%d,"exhausted":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, non, ex, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
