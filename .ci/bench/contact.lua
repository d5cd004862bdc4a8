-- wrk script: send contact requests with a 1 MB screenshot as new readers
-- (no cookie, so none is a duplicate of another). The body comes from
-- contact_body.py; run against a server with HELPCENTER_RATE_LIMIT=0 and
-- the HELPCENTER_FORM_KEY the body was signed with.
local f = assert(io.open(os.getenv("CONTACT_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "multipart/form-data; boundary=helpcenterbench"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, other = 0, 0
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
  io.write(string.format("contact posts with a 1 MB screenshot: %d 2xx, %d other, %.1f/s, p50 %.0f ms, p99 %.0f ms\n",
    total_ok, total_other, total_ok / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
