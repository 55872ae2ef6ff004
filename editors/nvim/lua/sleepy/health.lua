--- :checkhealth sleepy: is the server installed, and can it run cargo?

local M = {}

local health = vim.health or require("health")
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local report_error = health.error or health.report_error

local function executable(program, what, advice)
  if vim.fn.executable(program) == 1 then
    ok(("%s: %s"):format(what, vim.fn.exepath(program)))
  else
    report_error(("%s: %q is not executable"):format(what, program), advice)
  end
end

function M.check()
  start("sleepy-coder")
  if vim.fn.has("nvim-0.7") == 1 then
    ok("Neovim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor))
  else
    report_error("Neovim 0.7 or newer is needed")
  end
  local sleepy = require("sleepy")
  local config = sleepy._config()
  if not config then
    warn("require('sleepy').setup() has not been called: the server starts only after it")
    config = sleepy.defaults()
  end
  local install = {
    "install sleepy-coder from its repository: python3 -m pip install /path/to/sleepy-coder",
    "or pass the server's path as cmd to setup()",
  }
  executable(config.cmd[1], "server (cmd)", install)
  executable(config.settings.cargo.path, "cargo (settings.cargo.path)", { "install Rust with rustup: https://rustup.rs" })
  local clients = sleepy.clients()
  if #clients > 0 then
    for _, client in ipairs(clients) do
      ok(("running for %s"):format(client.config.root_dir or "?"))
    end
  else
    warn("no server running: open a .rs file inside a crate (a folder with Cargo.toml)")
  end
end

return M
