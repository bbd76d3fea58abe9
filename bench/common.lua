-- Shared by the workload scripts (loaded with dofile from $BENCH_LUA_DIR).
-- Script arguments (after wrk's "--"): <instance path> <frame count> [accept] [extra...]
-- Threads get ids 0..T-1 in setup(); each thread walks its own interleaved share of the frames, so together
-- the threads cover every frame once per cycle.

-- BENCH_ID_OFFSET: the first thread's id; two wrk processes driving two replicas (bench/redis-scale) take 0 and 1
-- with BENCH_THREADS=2, so that between them they walk every frame once per cycle
local next_id = tonumber(os.getenv("BENCH_ID_OFFSET") or "0")
local thread_count = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   thread_count = next_id
end

-- called per thread (in the thread's Lua state) before init
function bench_init(args)
   base = args[1]
   frames = tonumber(args[2])
   if args[3] ~= nil and args[3] ~= "" then
      wrk.headers["Accept"] = args[3]
   end
   -- "threads" is not set in the thread's state; wrk passes -t only to the main state, so read it from env
   threads = tonumber(os.getenv("BENCH_THREADS") or "1")
   counter = 0
end

-- this thread's next item of 0..count-1: its own offset, then every T-th, wrapping at count
function next_index(count)
   local n = (id + counter * threads) % count
   counter = counter + 1
   return n
end

-- machine-readable summary, parsed by bench/run (latencies in microseconds)
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "BENCH_RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.status, e.connect, e.read, e.write, e.timeout))
end
