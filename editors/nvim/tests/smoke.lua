-- Drives the plugin in headless Neovim against fake_server.py and writes what happened as JSON.
-- Run by tests/test_settings_schema.py:
--   SLEEPY_SMOKE_DIR=<scratch> nvim --headless -u NONE --cmd "set rtp+=editors/nvim" -c "luafile editors/nvim/tests/smoke.lua"
-- <scratch> holds crate_a/ and crate_b/ (each with Cargo.toml and src/main.rs); the result goes to <scratch>/result.json.

local dir = os.getenv("SLEEPY_SMOKE_DIR")
local python = os.getenv("SLEEPY_SMOKE_PYTHON") or "python3"
-- Optional: which Neovim API the plugin uses ("config", "start", "start_client"); default: the newest.
local lsp_api = os.getenv("SLEEPY_SMOKE_API")
if lsp_api == "" then
  lsp_api = nil
end
local here = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
local result = { notifications = {} }

vim.notify = function(message, level)
  table.insert(result.notifications, { message = message, level = level })
end

local function wait(what, condition)
  if not vim.wait(10000, condition, 20) then
    error("timed out waiting for " .. what)
  end
end

local function run()
  vim.cmd("filetype on")
  local sleepy = require("sleepy")
  local cmd = { python, here .. "/fake_server.py", dir .. "/server.log" }
  sleepy.setup({ cmd = cmd, api = lsp_api, settings = { maxCandidates = 3 } })
  sleepy.setup({
    cmd = cmd,
    api = lsp_api,
    review_cmd = { python, "-c", "print('fixes offered: 4'); print('accepted: 3')" },
    settings = { maxCandidates = 3, verify = false, telemetryEnabled = true },
  })

  vim.cmd("edit " .. dir .. "/crate_a/src/main.rs")
  local a1 = vim.api.nvim_get_current_buf()
  wait("the server to attach", function()
    return #sleepy.clients(a1) == 1
  end)
  wait("the idle status", function()
    return sleepy.status(a1) == "sleepy"
  end)
  result.status_seen = sleepy.status_info(a1)

  vim.cmd("edit " .. dir .. "/crate_a/src/lib.rs")
  local a2 = vim.api.nvim_get_current_buf()
  vim.cmd("edit " .. dir .. "/crate_b/src/main.rs")
  local b1 = vim.api.nvim_get_current_buf()
  wait("both crates to attach", function()
    return #sleepy.clients(a2) == 1 and #sleepy.clients(b1) == 1
  end)
  result.same_crate_shares_client = sleepy.clients(a1)[1].id == sleepy.clients(a2)[1].id
  result.other_crate_has_own_client = sleepy.clients(a1)[1].id ~= sleepy.clients(b1)[1].id
  result.client_count = #sleepy.clients()

  -- Calling setup() again sends the new settings to the running servers.
  sleepy.setup({ cmd = cmd, api = lsp_api, review_cmd = sleepy.review_cmd(), settings = { maxCandidates = 2 } })
  wait("didChangeConfiguration", function()
    local log = io.open(dir .. "/server.log")
    local text = log and log:read("*a") or ""
    if log then
      log:close()
    end
    return select(2, text:gsub("workspace/didChangeConfiguration", "")) >= 2
  end)
  result.status_string = sleepy.status(a1)

  vim.cmd("buffer " .. a1)
  sleepy.reject_last()
  wait("the reject answer", function()
    for _, n in ipairs(result.notifications) do
      if n.message:find("Rejected fix 7", 1, true) then
        return true
      end
    end
    return false
  end)

  local stats_lines
  sleepy.stats(function(buf)
    stats_lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  end)
  wait("the stats buffer", function()
    return stats_lines ~= nil
  end)
  result.stats_lines = stats_lines
  result.stats_buffer_name = vim.fn.bufname(vim.api.nvim_get_current_buf())

  for _, client in ipairs(sleepy.clients()) do
    vim.lsp.stop_client(client.id)
  end
  wait("the servers to stop", function()
    return #sleepy.clients() == 0
  end)

  -- A server that is not installed is reported once, with the install command.
  sleepy.setup({ cmd = { dir .. "/missing/sleepy-lsp" }, api = lsp_api })
  vim.cmd("edit " .. dir .. "/crate_b/src/extra.rs")
  result.clients_after_missing_cmd = #sleepy.clients()
end

local ok, err = pcall(run)
result.ok = ok
if not ok then
  result.error = tostring(err)
end
local file = assert(io.open(dir .. "/result.json", "w"))
file:write(vim.fn.json_encode(result))
file:close()
vim.cmd("qa!")
