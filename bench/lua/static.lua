-- One fixed request (method, body, headers from the environment) and a
-- machine-readable summary. No per-request Lua, so wrk stays fast.
--   BENCH_METHOD (GET), BENCH_BODY, BENCH_CTYPE, BENCH_AUTH (bearer token)
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then wrk.body = body end
local ctype = os.getenv("BENCH_CTYPE")
if ctype and ctype ~= "" then wrk.headers["Content-Type"] = ctype end
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then wrk.headers["Authorization"] = "Bearer " .. auth end

dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
