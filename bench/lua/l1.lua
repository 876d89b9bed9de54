-- L1: a login flood. Every other request signs in lecteur<n> with the right
-- password, the others with a wrong one, round-robin over BENCH_READERS (64).
--   BENCH_PASSWORD  the readers' password
local readers = tonumber(os.getenv("BENCH_READERS") or "64")
local password = os.getenv("BENCH_PASSWORD")
local counter = 0
statuses = {}

function init(args)
  counter = (tid or 1) * 1009
end

function request()
  counter = counter + 1
  local who = "lecteur" .. ((counter % readers) + 1)
  local pw = (counter % 2 == 0) and password or (password .. "-faux")
  return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"},
    '{"login":"' .. who .. '","password":"' .. pw .. '"}')
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
