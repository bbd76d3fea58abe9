-- batch: four consecutive frames per request (/frames/n,n+1,n+2,n+3), n = 1, 5, 9, ... cycling over the level.
-- args: <instance path> <frame count> <accept> [batch size, default 4]
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
   bench_init(args)
   size = tonumber(args[4] or "4")
   batches = math.floor(frames / size)
end

function request()
   local first = next_index(batches) * size + 1
   local list = tostring(first)
   for i = 1, size - 1 do
      list = list .. "," .. (first + i)
   end
   return wrk.format("GET", base .. "/frames/" .. list)
end
