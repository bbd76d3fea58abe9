-- cycle: frames 1..N in turn, each thread taking every T-th frame from its own offset, wrapping at N.
-- args: <instance path> <frame count> <accept>
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
   bench_init(args)
end

function request()
   return wrk.format("GET", base .. "/frames/" .. (next_index(frames) + 1))
end
