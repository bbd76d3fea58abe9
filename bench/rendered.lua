-- rendered: /frames/{n}/rendered cycling over the level, Accept: image/jpeg (passed as the accept argument).
-- args: <instance path> <frame count> <accept>
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
   bench_init(args)
end

function request()
   return wrk.format("GET", base .. "/frames/" .. (next_index(frames) + 1) .. "/rendered")
end
