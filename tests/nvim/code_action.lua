-- Headless Neovim (0.7+) end to end: the plugin starts the real sleepy-lsp, vim.lsp.buf.code_action()
-- picks the verified fix through a replaced vim.ui.select, and :write saves the fixed buffer.
-- Run by tests/test_nvim_e2e.py:
--   nvim --headless -u NONE --cmd "set rtp+=editors/nvim" -c "luafile tests/nvim/code_action.lua"
-- Environment: SLEEPY_E2E_FILE (the Rust file to open), SLEEPY_E2E_LINE (1-based line of the error),
-- SLEEPY_E2E_CMD (the server command, words separated by tabs), SLEEPY_E2E_OUT (where the JSON result goes),
-- SLEEPY_E2E_TIMEOUT (seconds each wait may take).

local file = os.getenv("SLEEPY_E2E_FILE")
local line = tonumber(os.getenv("SLEEPY_E2E_LINE"))
local out = os.getenv("SLEEPY_E2E_OUT")
local timeout = (tonumber(os.getenv("SLEEPY_E2E_TIMEOUT")) or 240) * 1000
local cmd = vim.split(os.getenv("SLEEPY_E2E_CMD"), "\t", { plain = true })
local result = { notifications = {}, steps = {} }

vim.notify = function(message, level)
  table.insert(result.notifications, { message = message, level = level })
end

local function step(name)
  table.insert(result.steps, name)
end

local function wait(what, condition)
  if not vim.wait(timeout, condition, 50) then
    error("timed out waiting for " .. what)
  end
end

local function code_action_titles(bufnr)
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = {} }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 10000) or {}
  local titles = {}
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      table.insert(titles, action.title)
    end
  end
  return titles
end

local function has_verified(titles)
  for _, title in ipairs(titles) do
    if title:find("compiles", 1, true) then
      return true
    end
  end
  return false
end

local function run()
  vim.cmd("filetype on")
  local sleepy = require("sleepy")
  sleepy.setup({ cmd = cmd, settings = { maxCandidates = 3 } })

  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  wait("the server to attach", function()
    return #sleepy.clients(bufnr) == 1
  end)
  step("attached")
  local client = sleepy.clients(bufnr)[1]

  -- The cursor on the error's line; the server answers for any column of it.
  vim.api.nvim_win_set_cursor(0, { line, 4 })
  wait("a fix that compiles", function()
    return has_verified(code_action_titles(bufnr))
  end)
  step("verified fix offered")

  -- The user picks the verified fix from the code-action menu.
  local offered, picked = nil, nil
  vim.ui.select = function(items, opts, on_choice)
    offered = {}
    for i, item in ipairs(items) do
      local action = item[2] or item.action or item
      local title = opts.format_item and opts.format_item(item) or action.title
      table.insert(offered, title)
      if not picked and title:find("compiles", 1, true) then
        picked = { index = i, title = title }
      end
    end
    if picked then
      on_choice(items[picked.index], picked.index)
    else
      on_choice(nil, nil)
    end
  end
  local before = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
  vim.lsp.buf.code_action()
  wait("the code-action menu", function()
    return offered ~= nil
  end)
  result.offered = offered
  result.picked = picked and picked.title
  if not picked then
    error("no verified fix in the menu: " .. vim.inspect(offered))
  end
  wait("the fix to be applied", function()
    return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n") ~= before
  end)
  step("applied")

  vim.cmd("write")
  step("written")
  wait("the check of the saved file", function()
    local info = sleepy.status_info(bufnr)
    return info and info.state == "idle" and info.message:find("^0 errors") ~= nil
  end)
  result.status = sleepy.status_info(bufnr)
  step("clean")

  -- Stop the server politely so that it finishes writing the fix memory.
  client.stop()
  wait("the server to stop", function()
    return client.is_stopped()
  end)
  step("stopped")
end

local ok, err = pcall(run)
result.ok = ok
result.error = ok and vim.NIL or tostring(err)
local handle = io.open(out, "w")
handle:write(vim.fn.json_encode(result))
handle:close()
vim.cmd(ok and "qall!" or "cquit! 1")
