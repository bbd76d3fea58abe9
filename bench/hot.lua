-- hot: the same frame over and over.  args: <instance path> <frame count> <accept> <frame>
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
   bench_init(args)
   req = wrk.format("GET", base .. "/frames/" .. (args[4] or "17"))
end

function request()
   return req
end
