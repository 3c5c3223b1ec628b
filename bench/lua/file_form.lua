-- Filing through the HTML form as without JavaScript: the multipart POST a browser sends to
-- /api/file_case (answered by a 303 to the receipt). Cookie and Origin come with -H.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
local threads, n = 0, 0
local boundary = "----petitio-bench"
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local function part(name, value)
  return "--" .. boundary .. '\r\nContent-Disposition: form-data; name="' .. name .. '"\r\n\r\n' .. value .. "\r\n"
end
function request()
  n = n + 1
  local body = part("kind", "complaint") .. part("department_id", "") .. part("category_id", "")
    .. part("service_id", "")
    .. part("subject", string.format("Formular %d-%d-%d: gunoiul nu a fost ridicat", tid, n, os.time()))
    .. part("body", "Containerele de pe strada noastră nu au fost golite de două săptămâni.")
    .. part("consent_processing", "on") .. part("confirm_repeat", "on") .. "--" .. boundary .. "--\r\n"
  return wrk.format("POST", "/api/file_case",
    { ["Content-Type"] = "multipart/form-data; boundary=" .. boundary, ["Cookie"] = wrk.headers["Cookie"],
      ["Origin"] = wrk.headers["Origin"], ["Accept"] = "text/html", ["Host"] = wrk.headers["Host"] }, body)
end
done = report
