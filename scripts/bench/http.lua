-- wrk script of ./jobstate bench: the HTTP side of every cell. Arguments (after --): workload, first
-- job number, number of jobs, bearer token, wrk threads, job type (the work-distribution workloads).
-- Transition workloads pick jobs and targets by the rules of the pgbench side (job-persistence's Workload):
--   uniform    the jobs split among wrk's threads, each thread cycling through its own jobs, each job
--              around RUNNING -> FAILED -> QUEUED -> RUNNING: every request a legal transition
--   hot        every connection on the same 4 jobs, a random one of RUNNING, FAILED, QUEUED each time
-- Work distribution, on a queue of QUEUED jobs of one type:
--   claim      POST /api/jobs/claims of that type (waitSeconds 0): the service picks the job
--   list-start GET /api/jobs?status=QUEUED&type=…&limit=50, then POST a transition to RUNNING of a
--              random one of the listed jobs, as a worker without claims does; one connection per wrk
--              thread (a thread's Lua state is its connection's: what it listed, it starts)
-- Read workloads:
--   get-job    GET /api/jobs/{id} of a random one of the jobs
--   list-jobs  GET /api/jobs?limit=50, the newest page
--   live       GET /health/live, without a token: Liberty's floor
-- Job number n is the job whose id is the UUID with n in its low bits, as the SQL side computes it.
-- wrk builds one sample request before the run and never sends it: one thread's first job skips
-- its first step, which shows as one 409 when its cycle comes round. Jobs are split per wrk thread
-- (pgbench splits them per client): in both, no two requests in flight ever touch the same job.
-- Completing and failing a RUNNING job needs its run's lease token: each thread keeps the token from
-- the answers it got (its uniform jobs are its own; hot cells run one wrk thread, which sees every
-- RUNNING answer: a token is stale only when another connection's answer is still on its way).
-- Prints one line: RESULT requests=… seconds=… p50_ms=… p99_ms=… p999_ms=… ok=… statuses=200:…,409:… socket_errors=…
-- starts=… start_conflicts=… (list-start: the transitions to RUNNING sent, and how many got 409)

-- Paced runs (./jobstate bench events): each connection waits JOBSTATE_BENCH_PAUSE_MS between requests.
local pause = tonumber(os.getenv("JOBSTATE_BENCH_PAUSE_MS") or "")
if pause then
  function delay()
    return pause
  end
end

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local CYCLE = {
  -- a lease longer than the run, so that no benchmark job is reaped during the measurement
  '{"to":"RUNNING","leaseSeconds":3600}',
  '{"to":"FAILED","error":"bench"}',
  '{"to":"QUEUED"}',
}

local function uuid(n)
  local hex = string.format("%032x", n)
  return hex:sub(1, 8) .. "-" .. hex:sub(9, 12) .. "-" .. hex:sub(13, 16) .. "-" .. hex:sub(17, 20) .. "-" .. hex:sub(21, 32)
end

-- wrk's default headers (Content-Type, Authorization, Host …) plus the given ones
local function with_default_headers(extra)
  local merged = {}
  for name, value in pairs(wrk.headers) do
    merged[name] = value
  end
  for name, value in pairs(extra) do
    merged[name] = value
  end
  return merged
end

local function transition()
  local job, step
  if workload == "hot" then
    job = math.random(0, jobs - 1)
    step = math.random(1, 3)
  else
    job = (k % per) * nthreads + id
    step = math.floor(k / per) % 3 + 1
    k = k + 1
  end
  local id = uuid(base + job)
  local headers = nil
  if step == 2 and leases[id] then
    -- wrk.format uses a headers table given to it instead of wrk.headers, not on top of them:
    -- a table holding only Lease-Token would drop Content-Type and Authorization (every such
    -- request a 415)
    headers = with_default_headers({ ["Lease-Token"] = leases[id] })
  end
  return wrk.format("POST", "/api/jobs/" .. id .. "/transitions", headers, CYCLE[step])
end

local function claim()
  return wrk.format("POST", "/api/jobs/claims", nil, claim_body)
end

-- list-start: what this thread's connection listed last (nil: list next)
local function list_or_start()
  if listed then
    local id = listed[math.random(1, #listed)]
    listed = nil
    asked = "start"
    return wrk.format("POST", "/api/jobs/" .. id .. "/transitions", nil, CYCLE[1])
  end
  asked = "list"
  return wrk.format("GET", "/api/jobs?status=QUEUED&type=" .. job_type .. "&limit=50")
end

local READS = {
  ["get-job"] = function()
    return wrk.format("GET", "/api/jobs/" .. uuid(base + math.random(0, jobs - 1)))
  end,
  ["list-jobs"] = function()
    return wrk.format("GET", "/api/jobs?limit=50")
  end,
  ["live"] = function()
    return wrk.format("GET", "/health/live")
  end,
}

function init(args)
  workload = args[1]
  base = tonumber(args[2])
  jobs = tonumber(args[3])
  nthreads = tonumber(args[5])
  per = math.max(1, math.floor(jobs / nthreads))
  k = 0
  counts = {}
  -- the lease token of each job's current run, from the RUNNING answers: FAILED presents it, as a worker does
  leases = {}
  -- the job version each entry of leases comes from
  versions = {}
  math.randomseed(id * 7919 + 17)
  job_type = args[6]
  starts = 0
  start_conflicts = 0
  if workload == "uniform" or workload == "hot" then
    request = transition
    wrk.headers["Content-Type"] = "application/json"
  elseif workload == "claim" then
    request = claim
    claim_body = '{"types":["' .. job_type .. '"],"leaseSeconds":3600,"waitSeconds":0}'
    wrk.headers["Content-Type"] = "application/json"
  elseif workload == "list-start" then
    request = list_or_start
    wrk.headers["Content-Type"] = "application/json"
  elseif READS[workload] then
    request = READS[workload]
  else
    error("unknown workload " .. tostring(workload))
  end
  if workload ~= "live" then
    wrk.headers["Authorization"] = "Bearer " .. args[4]
  end
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if request == list_or_start then
    if asked == "start" then
      starts = starts + 1
      if status == 409 then
        start_conflicts = start_conflicts + 1
      end
    elseif status == 200 then
      local ids = {}
      for id in body:gmatch('"id":"([^"]+)"') do
        table.insert(ids, id)
      end
      -- an empty page: the queue ran dry; list again (the bench sees it in its goodput check)
      if #ids > 0 then
        listed = ids
      end
    end
    return
  end
  if status == 200 and request == transition then
    local id = body:match('"id":"([^"]+)"')
    local version = tonumber(body:match('"version":(%d+)'))
    -- answers on different connections arrive in any order: only a newer version of the job may
    -- replace what is known of its lease, or a late RUNNING answer would bring back an old run's
    -- token and every FAILED after it would be refused (LEASE_MISMATCH) for good
    if id and version and version > (versions[id] or -1) then
      versions[id] = version
      leases[id] = body:match('"leaseToken":"([^"]+)"')
    end
  end
end

function done(summary, latency, requests)
  local total = {}
  local all_starts, all_conflicts = 0, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      total[status] = (total[status] or 0) + n
    end
    all_starts = all_starts + thread:get("starts")
    all_conflicts = all_conflicts + thread:get("start_conflicts")
  end
  local statuses = {}
  for status, n in pairs(total) do
    table.insert(statuses, status .. ":" .. n)
  end
  table.sort(statuses)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.3f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f ok=%d statuses=%s socket_errors=%d"
    .. " starts=%d start_conflicts=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, total[200] or 0, table.concat(statuses, ","), e.connect + e.read + e.write + e.timeout,
    all_starts, all_conflicts))
end
