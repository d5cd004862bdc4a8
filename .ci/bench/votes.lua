-- wrk script: post votes through the JSON flow as new readers (no cookie),
-- so every 200 answer is one new row. Run against a server started with
-- HELPCENTER_RATE_LIMIT=0 (see the Makefile's bench-votes target).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"

local articles = {"log-out", "request-account-info", "contact-support", "backup-restore"}
local langs = {"en", "ar", "zh-tw", "hi", "ru", "es", "pt-br", "ja"}
local bodies = {"helpful=yes", "helpful=no", "helpful=no&step=reason&reason=unclear", "helpful=no&step=reason&reason=did_not_work&comment=Steps+differ"}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, other = 0, 0
end

function request()
  local path = "/" .. langs[math.random(#langs)] .. "/articles/" .. articles[math.random(#articles)] .. "/feedback"
  return wrk.format(nil, path, nil, bodies[math.random(#bodies)])
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_other = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_other = total_other + t:get("other")
  end
  io.write(string.format("votes: %d 2xx, %d other, %.0f/s, p50 %.2f ms, p99 %.2f ms\n",
    total_ok, total_other, total_ok / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
