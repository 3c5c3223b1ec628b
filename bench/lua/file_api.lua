-- Filing through the JSON API: POST /api/v1/cases with a subject unique to each request
-- (the repeat check sees a new petition each time). The bearer token comes with -H.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
local threads, n = 0, 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  n = n + 1
  local body = string.format(
    '{"kind":"petition","subject":"Măsurare %d-%d-%d: iluminat în scara blocului","body":"Becurile din scara blocului nu funcționează de o lună; vă rog să le înlocuiți.","consent_processing":true,"confirm_repeat":true}',
    tid, n, os.time())
  return wrk.format("POST", "/api/v1/cases", nil, body)
end
done = report
