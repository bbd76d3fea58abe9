-- rendered-query: /frames/{n}/rendered?<query> cycling over the level (bench/render).
-- args: <instance path> <frame count> <accept> <query>
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
   bench_init(args)
   query = args[4] or ""
end

function request()
   local path = base .. "/frames/" .. (next_index(frames) + 1) .. "/rendered"
   if query ~= "" then
      path = path .. "?" .. query
   end
   return wrk.format("GET", path)
end
