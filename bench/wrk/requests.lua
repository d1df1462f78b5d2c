-- Requests for wrk (bench/throughput.py), read from the file named by BENCH_REQUESTS: one request a
-- line, "METHOD<TAB>PATH<TAB>BODY" (BODY may be empty; headers come from wrk's -H). With BENCH_THREADS
-- threads, thread k sends lines k, k + n, k + 2n... in turn, wrapping round at the end of its share
-- (`wrapped` says so: a "cold" run that wrapped repeated some requests). Every answer's status is
-- counted: anything but 2xx makes the figure invalid. done() prints one line "BENCH-JSON {...}".

local threads = {}
local created = 0

function setup(thread)
  created = created + 1
  thread:set("id", created)
  table.insert(threads, thread)
end

function init(args)
  local all = {}
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local method, path, body = line:match("^([^\t]+)\t([^\t]+)\t?(.*)$")
    if method then
      if body == "" then body = nil end
      all[#all + 1] = wrk.format(method, path, nil, body)
    end
  end
  local step = tonumber(os.getenv("BENCH_THREADS") or "1")
  mine = {}
  for i = id, #all, step do mine[#mine + 1] = all[i] end
  if #mine == 0 then mine = all end
  position, wrapped, non2xx = 0, 0, 0
end

function request()
  position = position + 1
  if position > #mine then
    position, wrapped = 1, 1
  end
  return mine[position]
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local non2xx_total, wrapped_any = 0, 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
    wrapped_any = math.max(wrapped_any, thread:get("wrapped"))
  end
  local percentiles = {}
  for _, p in ipairs({50, 75, 90, 99, 99.9}) do
    percentiles[#percentiles + 1] = string.format('"%s": %d', tostring(p), latency:percentile(p))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, "wrapped": %s, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"mean": %.1f, "stdev": %.1f, "max": %d, "percentiles": {%s}}}\n',
    summary.requests, summary.duration, summary.bytes, non2xx_total, wrapped_any == 1 and "true" or "false",
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.max, table.concat(percentiles, ", ")))
end
