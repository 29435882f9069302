-- POST reader comments to /comments/post/ as the page's script does (form-encoded, with
-- Accept: application/json and the site's Origin), each with its own text and address so the
-- duplicate guard never answers with an earlier comment.
--
-- Arguments (after "--"): article id, origin (http://127.0.0.1:PORT), reply share (0..1),
-- comma-separated ids of approved comments to reply to, the form's signed timestamp (as the
-- page's script gets it from /comments/stamp/; the harness waits before using it, so no post
-- looks "too fast").
-- done() prints one JSON line: statuses seen and the ids of the comments acknowledged (201).

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("tid", #threads)
end

local WORDS = {
   "the", "council", "vote", "budget", "minister", "said", "on", "tuesday", "that", "plan",
   "would", "cost", "more", "than", "expected", "residents", "in", "the", "north", "district",
   "have", "waited", "years", "for", "a", "new", "bridge", "and", "this", "report", "finally",
   "explains", "why", "I", "read", "it", "twice", "but", "still", "think", "numbers", "are",
   "missing", "from", "second", "paragraph", "my", "neighbours", "agree", "transport", "school",
   "hospital", "funding", "question", "answer", "meeting", "evening", "journalists", "asked",
   "good", "point", "however", "we", "should", "remember", "what", "happened", "last", "winter",
   "when", "roads", "were", "closed", "week", "thanks", "for", "reporting", "this", "clearly",
}
local NAMES = { "Ana", "Ben", "Chloé", "Dmitri", "Efua", "Farid", "Greta", "Hiro", "Ines", "Jonas" }

local function urlencode(s)
   return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local function split(s, sep)
   local out = {}
   for part in string.gmatch(s or "", "[^" .. sep .. "]+") do out[#out + 1] = part end
   return out
end

local function words(n)
   local t = {}
   for i = 1, n do t[i] = WORDS[math.random(#WORDS)] end
   return table.concat(t, " ")
end

local function body_text(marker)
   -- 200-600 characters, two or three paragraphs, a little Markdown now and then.
   local target = math.random(200, 600)
   local parts = { words(12) .. " *" .. words(2) .. "* " .. words(8) .. "." }
   local r = math.random()
   if r < 0.2 then
      parts[#parts + 1] = "> " .. words(10) .. "."
   elseif r < 0.3 then
      parts[#parts + 1] = "See https://example.org/" .. words(1) .. " for the **" .. words(3) .. "**."
   end
   local text = table.concat(parts, "\n\n")
   while #text < target - 40 do
      text = text .. " " .. words(6) .. "."
   end
   return text .. "\n\n" .. marker
end

function init(args)
   article = args[1]
   origin = args[2]
   reply_share = tonumber(args[3] or "0") or 0
   parents = split(args[4], ",")
   stamp = args[5] or ""
   counter = 0
   statuses = {}
   acked = {}
   math.randomseed(os.time() * 1000 + tid * 7919 + math.floor(os.clock() * 1e6))
   host = origin:gsub("^https?://", "")
end

function request()
   counter = counter + 1
   local nonce = string.format("%d-%d-%06d", tid, counter, math.random(0, 999999))
   local parent = "0"
   if #parents > 0 and math.random() < reply_share then
      parent = parents[math.random(#parents)]
   end
   local form = {
      "comment=" .. urlencode(body_text("(" .. nonce .. ")")),
      "author=" .. urlencode(NAMES[math.random(#NAMES)] .. " " .. nonce),
      "email=" .. urlencode("reader-" .. nonce .. "@bench.example"),
      "url=",
      "comment_post_ID=" .. article,
      "comment_parent=" .. parent,
      "comment_key=" .. urlencode("k-" .. nonce),
      "comment_stamp=" .. urlencode(stamp),
      "fax=",
   }
   return wrk.format("POST", "/comments/post/", {
      ["Host"] = host,
      ["Origin"] = origin,
      ["Accept"] = "application/json",
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["User-Agent"] = "dateline-bench (wrk)",
   }, table.concat(form, "&"))
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if status == 201 then
      local id = body:match('"id":%s*(%d+)')
      acked[#acked + 1] = id or "?"
   end
end

function done(summary, latency, requests)
   local counts, ids = {}, {}
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses") or {}) do
         counts[status] = (counts[status] or 0) + n
      end
      for _, id in ipairs(thread:get("acked") or {}) do
         ids[#ids + 1] = id == "?" and "null" or id
      end
   end
   local status_json = {}
   for status, n in pairs(counts) do
      status_json[#status_json + 1] = string.format('"%d": %d', status, n)
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}, '
      .. '"statuses": {%s}, "acked_ids": [%s]}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max,
      table.concat(status_json, ", "), table.concat(ids, ", ")))
end
