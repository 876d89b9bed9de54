-- W1: post ~300-character comments, unique bodies, round-robin over
-- articles a<first>..a<first+n-1> and over the tokens in BENCH_TOKENS.
--   BENCH_TARGET  tribune | isso
--   BENCH_TOKENS  file with one bearer token per line (tribune)
--   BENCH_ARTICLES (100), BENCH_FIRST (1)
local target = os.getenv("BENCH_TARGET") or "tribune"
local n_articles = tonumber(os.getenv("BENCH_ARTICLES") or "100")
local first = tonumber(os.getenv("BENCH_FIRST") or "1")
local tokens = {}
local counter = 0
statuses = {}

local fr = "Je partage votre analyse sur ce sujet difficile : la réforme annoncée mérite " ..
  "un vrai débat public, avec des chiffres vérifiables et la parole des citoyens concernés. " ..
  "Merci à la rédaction pour ce travail sérieux, qui change des commentaires rapides que l'on " ..
  "lit trop souvent ailleurs."
local ar = "أتفق مع هذا التحليل في موضوع صعب : الإصلاح المعلن يستحق نقاشا عموميا حقيقيا، " ..
  "بأرقام يمكن التحقق منها وبإشراك المواطنين المعنيين. شكرا لهيئة التحرير على هذا العمل " ..
  "الجاد الذي يختلف عن التعليقات السريعة التي نقرأها كثيرا في أماكن أخرى. " ..
  "نتمنى أن تستمر الجريدة في نشر مثل هذه المقالات المفيدة للقراء."

function init(args)
  if target == "tribune" then
    for line in io.lines(os.getenv("BENCH_TOKENS")) do
      if line ~= "" then table.insert(tokens, line) end
    end
  end
  -- Spread the threads over the token list.
  counter = (tid or 1) * 100003
end

function request()
  counter = counter + 1
  local uniq = string.format(" [w%d-%d-%d]", tid or 0, counter, os.time())
  local text = (counter % 2 == 0) and (fr .. uniq) or (ar .. uniq)
  local article = first + (counter % n_articles)
  if target == "tribune" then
    local tok = tokens[(counter % #tokens) + 1]
    return wrk.format("POST", "/api/v1/articles/a" .. article .. "/comments",
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tok},
      '{"body":"' .. text .. '"}')
  else
    local who = "lecteur" .. ((counter % 16) + 1)
    return wrk.format("POST", "/new?uri=%2Fa" .. article,
      {["Content-Type"] = "application/json"},
      '{"text":"' .. text .. '","author":"' .. who .. '"}')
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
