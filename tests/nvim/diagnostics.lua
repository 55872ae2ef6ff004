-- Headless Neovim (0.7+): who shows rustc's errors. With no rust-analyzer attached the plugin asks sleepy-lsp
-- to publish its own diagnostics; with one (SLEEPY_E2E_FAKE_RA, a stand-in named rust_analyzer, attached
-- after sleepy) it asks it to leave them to rust-analyzer. The server's log lines reach lsp.log at their level.
-- Run by tests/test_nvim_e2e.py; environment as tests/nvim/code_action.lua, plus SLEEPY_E2E_FAKE_RA (the
-- stand-in's command, words separated by tabs; empty: none).

local file = os.getenv("SLEEPY_E2E_FILE")
local line = tonumber(os.getenv("SLEEPY_E2E_LINE"))
local out = os.getenv("SLEEPY_E2E_OUT")
local timeout = (tonumber(os.getenv("SLEEPY_E2E_TIMEOUT")) or 240) * 1000
local cmd = vim.split(os.getenv("SLEEPY_E2E_CMD"), "\t", { plain = true })
local fake_ra = os.getenv("SLEEPY_E2E_FAKE_RA") or ""
local result = { notifications = {}, steps = {} }

vim.notify = function(message, level)
  table.insert(result.notifications, { message = message, level = level })
end

local function wait(what, condition)
  if not vim.wait(timeout, condition, 50) then
    error("timed out waiting for " .. what)
  end
end

local function sleepy_diagnostics(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == "sleepy" then
      table.insert(found, { code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code), lnum = d.lnum })
    end
  end
  return found
end

local function has_verified(bufnr)
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = {} }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 10000) or {}
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      if action.title:find("compiles", 1, true) then
        return true
      end
    end
  end
  return false
end

local function run()
  vim.lsp.set_log_level("info")
  result.log_path = vim.lsp.get_log_path()
  vim.cmd("filetype on")
  local sleepy = require("sleepy")
  sleepy.setup({ cmd = cmd, settings = { maxCandidates = 1 } })
  if fake_ra ~= "" then
    -- Registered after sleepy's: rust-analyzer attaches after sleepy has started.
    vim.api.nvim_create_autocmd("FileType", {
      pattern = "rust",
      callback = function(args)
        local id = vim.lsp.start_client({ name = "rust_analyzer", cmd = vim.split(fake_ra, "\t", { plain = true }),
          root_dir = vim.fn.fnamemodify(file, ":h") })
        vim.lsp.buf_attach_client(args.buf, id)
      end,
    })
  end

  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  wait("the server to attach", function()
    return #sleepy.clients(bufnr) == 1
  end)
  local client = sleepy.clients(bufnr)[1]
  vim.api.nvim_win_set_cursor(0, { line, 4 })
  wait("a fix that compiles (the check is done)", function()
    return has_verified(bufnr)
  end)
  if fake_ra ~= "" then
    wait("rust-analyzer to be seen", function()
      return sleepy.publishing(bufnr) == false
    end)
    has_verified(bufnr) -- a round trip: whatever the server sent before it is handled
  else
    wait("sleepy's own diagnostics", function()
      return #sleepy_diagnostics(bufnr) > 0
    end)
  end
  result.publishing = sleepy.publishing(bufnr)
  result.diagnostics = sleepy_diagnostics(bufnr)

  client.stop()
  wait("the server to stop", function()
    return client.is_stopped()
  end)
end

local ok, err = pcall(run)
result.ok = ok
result.error = ok and vim.NIL or tostring(err)
local handle = io.open(out, "w")
handle:write(vim.fn.json_encode(result))
handle:close()
vim.cmd(ok and "qall!" or "cquit! 1")
