-- wrk script for bench_api.py: POST /v1/posts with batches of posts that all have new ids.
--
--   BENCH_API_REPORT=out.json wrk -t1 -c4 -d20s --latency -s benchmarks/bench_api.lua \
--       http://127.0.0.1:PORT -- POOL KEY LABEL BATCH
--   BENCH_API_REPORT=out.json wrk ... -s benchmarks/bench_api.lua http://127.0.0.1:PORT -- healthz
--
-- POOL is a file with one post per line, written without its braces, id or platform
-- (`"title":"...","text":"...",...`); each post sent is one of them picked at random, with the
-- id LABEL-t<thread>-<request>-<k> (k = 1..BATCH). The API key's platform is the posts' platform.
-- A 2xx answer lists the batch's receipts in order, so the first receipt's id names the request
-- it acknowledges: each thread keeps those request numbers, and done() writes them with wrk's
-- totals and latency percentiles (microseconds) as JSON to $BENCH_API_REPORT, for bench_api.py
-- to check against what the store holds. With the one argument `healthz` it sends GET /healthz
-- instead (the baseline: the same server and HTTP stack, no posts).

local threads = {}

function setup(thread)
   thread:set("tid", #threads + 1)
   table.insert(threads, thread)
end

local pool = {}
local headers
local prefix
local batch
local healthz

sent = 0
acked = {}
refused = 0
first_refusal = ""

function init(args)
   if args[1] == "healthz" then
      healthz = wrk.format("GET", "/healthz")
      return
   end
   for line in io.lines(args[1]) do
      pool[#pool + 1] = line
   end
   headers = {["Content-Type"] = "application/json", ["X-API-Key"] = args[2]}
   prefix = args[3] .. "-t" .. tid .. "-"
   batch = tonumber(args[4])
   math.randomseed(tid)
end

function request()
   if healthz then
      return healthz
   end
   sent = sent + 1
   local head = '{"id":"' .. prefix .. sent .. "-"
   local posts = {}
   for k = 1, batch do
      posts[k] = head .. k .. '",' .. pool[math.random(#pool)] .. "}"
   end
   return wrk.format("POST", "/v1/posts", headers,
                     '{"posts":[' .. table.concat(posts, ",") .. "]}")
end

function response(status, _headers, body)
   if healthz then
      return
   end
   if status >= 200 and status < 300 then
      local number = body:match('"id":"[^"]-%-(%d+)%-1"')
      acked[#acked + 1] = tonumber(number) or -1
   else
      refused = refused + 1
      if first_refusal == "" then
         first_refusal = status .. " " .. string.sub(body, 1, 300)
      end
   end
end

local function quoted(text)
   return '"' .. text:gsub('[%c"\\]', function(c)
      return string.format("\\u%04x", string.byte(c))
   end) .. '"'
end

function done(summary, latency, requests)
   local parts = {}
   for _, thread in ipairs(threads) do
      parts[#parts + 1] = string.format(
         '{"thread":%d,"sent":%d,"refused":%d,"first_refusal":%s,"acked":[%s]}',
         thread:get("tid"), thread:get("sent"), thread:get("refused"),
         quoted(thread:get("first_refusal")), table.concat(thread:get("acked"), ","))
   end
   local errors = summary.errors
   local out = assert(io.open(os.getenv("BENCH_API_REPORT") or "bench_api.json", "w"))
   out:write(string.format(
      '{"duration_us":%d,"requests":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d},"threads":[%s]}',
      summary.duration, summary.requests, summary.bytes,
      errors.connect, errors.read, errors.write, errors.status, errors.timeout,
      latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, table.concat(parts, ",")))
   out:close()
end
