--- sleepy-coder for Neovim: starts the `sleepy-lsp` language server for Rust
--- buffers, one client per crate (the folder of the nearest Cargo.toml), and
--- adds :SleepyStats and :SleepyRejectLast.
---
--- Neovim 0.7 has neither vim.lsp.start nor vim.lsp.config, so each version
--- gets the API it has: 0.7 starts clients itself (vim.lsp.start_client +
--- vim.lsp.buf_attach_client) and reuses them per root; 0.8-0.10 use
--- vim.lsp.start, which reuses by name and root; 0.11+ register the server with
--- vim.lsp.config and vim.lsp.enable.
---
--- The settings are the server's schema (sleepy_lsp/server/settings.py), camelCase as
--- in VS Code's `sleepy.*` settings; tests/test_settings_schema.py checks that
--- the defaults below agree with the server's and the VS Code extension's.

local M = {}

local NAME = "sleepy"

local DEFAULTS = {
  -- The server's command line (stdio). In a virtualenv, for example:
  -- { "/path/to/venv/bin/sleepy-lsp" } or { "/path/to/venv/bin/python", "-m", "sleepy_lsp.server" }.
  cmd = { "sleepy-lsp" },
  -- The command :SleepyStats runs; nil: `sleepy review` from the server's environment (see M.review_cmd).
  review_cmd = nil,
  filetypes = { "rust" },
  -- Called as on_attach(client, bufnr) when the server attaches to a buffer.
  on_attach = nil,
  -- LSP client capabilities; nil: vim.lsp.protocol.make_client_capabilities().
  capabilities = nil,
  -- Which crates sleepy may check: `cargo check` runs a crate's build scripts and procedural macros, so a
  -- crate you do not trust must not be checked. true: every crate; a list of folders: crates inside them;
  -- a function(root) returning true or false. An untrusted crate gets no server and no cargo run.
  trusted = true,
  -- Which Neovim API starts the server: "config" (vim.lsp.config/enable, 0.11+), "start" (vim.lsp.start,
  -- 0.8+) or "start_client" (vim.lsp.start_client, 0.7+); nil: the newest this Neovim has.
  api = nil,
  -- The server's settings, sent as initializationOptions and with workspace/didChangeConfiguration.
  settings = {
    backend = "none",
    modelPath = "",
    adaptersDir = "",
    strategy = "full",
    maxCandidates = 5,
    verify = true,
    tests = { enabled = true, budget = 60 },
    telemetry = { enabled = true },
    publishDiagnostics = false,
    databasePath = "",
    trust = true,
    cargo = { path = "cargo", extraArgs = {}, allowFetch = false },
  },
}

local STATES = { checking = true, fixing = true, idle = true, error = true }

-- Newer names first: the old ones print deprecation warnings on 0.10+.
local uv = vim.uv or vim.loop
local islist = vim.islist or vim.tbl_islist

-- Everything the plugin remembers; one table, so a second setup() replaces rather than duplicates.
local state = {
  config = nil, -- the merged options, set by setup()
  auto_publish = true, -- settings.publishDiagnostics was not given: publish where no rust-analyzer is attached
  publishing = {}, -- client id -> the publishDiagnostics value that client was last given
  clients = {}, -- Neovim 0.7 only: root dir -> client id
  status = {}, -- client id -> { state = ..., message = ... }
  last_status_client = nil,
  notified = {}, -- messages already shown, so a lasting problem is not repeated
  stats_buf = nil,
}

local function notify(message, level)
  vim.notify("[sleepy] " .. message, level or vim.log.levels.INFO)
end

local function notify_once(message, level)
  if not state.notified[message] then
    state.notified[message] = true
    notify(message, level)
  end
end

local function has(version)
  return vim.fn.has("nvim-" .. version) == 1
end

-- client.request/notify became methods in 0.11 (the field form is deprecated there).
local function client_request(client, method, params, handler, bufnr)
  if has("0.11") then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function client_notify(client, method, params)
  if has("0.11") then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

-- The Neovim API that starts clients (see the `api` option) and the version that introduced it.
local APIS = { config = "0.11", start = "0.8", start_client = "0.7" }

local function api()
  if state.config.api then
    return state.config.api
  end
  return has("0.11") and "config" or (has("0.8") and "start" or "start_client")
end

--- A copy of the default options (the `settings` field is the server's defaults).
function M.defaults()
  return vim.deepcopy(DEFAULTS)
end

--- The options setup() was last called with (merged over the defaults), or nil before setup().
function M._config()
  return state.config
end

--- The folder of the nearest Cargo.toml above `path`, or nil.
function M.find_root(path)
  if not path or path == "" then
    return nil
  end
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while dir and dir ~= "" do
    if uv.fs_stat(dir .. "/Cargo.toml") then
      return dir
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return nil
    end
    dir = parent
  end
  return nil
end

--- The sleepy clients: those attached to `bufnr` when given (0: the current buffer), else all.
function M.clients(bufnr)
  local filter = { name = NAME }
  if bufnr then
    filter.bufnr = bufnr == 0 and vim.api.nvim_get_current_buf() or bufnr
  end
  if vim.lsp.get_clients then
    return vim.lsp.get_clients(filter)
  end
  if has("0.8") then
    return vim.lsp.get_active_clients(filter)
  end
  -- Neovim 0.7's get_active_clients takes no filter.
  local found = {}
  for _, client in ipairs(vim.lsp.get_active_clients()) do
    if client.name == NAME and (not filter.bufnr or vim.lsp.buf_is_attached(filter.bufnr, client.id)) then
      table.insert(found, client)
    end
  end
  return found
end

--- The server's last reported state for `bufnr`'s client (else the last one to report): { state, message } or nil.
function M.status_info(bufnr)
  for _, client in ipairs(M.clients(bufnr or 0)) do
    if state.status[client.id] then
      return state.status[client.id]
    end
  end
  return state.last_status_client and state.status[state.last_status_client] or nil
end

--- Whether sleepy's server for `bufnr` (0: the current buffer) publishes its own diagnostics: true where
--- no rust-analyzer is attached (unless settings.publishDiagnostics says otherwise), nil before it started.
function M.publishing(bufnr)
  for _, client in ipairs(M.clients(bufnr or 0)) do
    return state.publishing[client.id]
  end
  return nil
end

--- A short string for a statusline: "sleepy", "sleepy: checking", "sleepy: fixing", "sleepy: error", or "".
function M.status(bufnr)
  local info = M.status_info(bufnr)
  if not info then
    return #M.clients(bufnr or 0) > 0 and NAME or ""
  end
  return info.state == "idle" and NAME or (NAME .. ": " .. info.state)
end

local function on_status(_, result, ctx)
  if type(result) ~= "table" or not STATES[result.state] then
    return
  end
  local message = type(result.message) == "string" and result.message or ""
  state.status[ctx.client_id] = { state = result.state, message = message }
  state.last_status_client = ctx.client_id
  if result.state == "error" and message ~= "" then
    notify_once(message, vim.log.levels.WARN)
  end
  pcall(vim.api.nvim_exec_autocmds, "User", { pattern = "SleepyStatus", modeline = false })
  pcall(vim.cmd, "redrawstatus")
end

local function on_exit(code, signal, client_id)
  state.status[client_id] = nil
  state.publishing[client_id] = nil
  for root, id in pairs(state.clients) do
    if id == client_id then
      state.clients[root] = nil
    end
  end
  if code ~= 0 and signal ~= 15 then
    vim.schedule(function()
      notify(
        ("sleepy-lsp exited with code %d; the log is at %s"):format(code, vim.lsp.get_log_path()),
        vim.log.levels.ERROR
      )
    end)
  end
end

-- "telemetry.enabled" and "telemetryEnabled" -> "telemetryEnabled": the server's own flattening.
local function flat_name(prefix, key)
  local name = prefix == "" and key or (prefix .. key:sub(1, 1):upper() .. key:sub(2))
  return (name:gsub("%.(%a)", string.upper))
end

local function flat_keys(settings, prefix, into)
  for key, value in pairs(settings) do
    local name = flat_name(prefix, key)
    if type(value) == "table" and next(value) ~= nil and not islist(value) then
      flat_keys(value, name, into)
    else
      into[name] = true
    end
  end
  return into
end

-- A typo must not pass silently: warn about keys the server does not know, and about flat spellings
-- of nested keys, which would be sent beside the nested default and race it.
local function check_settings(settings, defaults, prefix)
  local known = flat_keys(DEFAULTS.settings, "", {})
  for key, value in pairs(settings) do
    local name = prefix .. key
    local default = defaults[key]
    if default == nil then
      local hint = known[flat_name(prefix == "" and "" or prefix:sub(1, -2), key)]
          and "; write nested keys as tables, e.g. telemetry = { enabled = false }"
        or ": the server will ignore it"
      notify_once(("unknown setting %q%s"):format(name, hint), vim.log.levels.WARN)
    elseif type(default) == "table" and next(default) ~= nil and not islist(default) and type(value) == "table" then
      check_settings(value, default, name .. ".")
    end
  end
end

-- rust-analyzer's client, whatever the configuration calls it (lspconfig: rust_analyzer; rustaceanvim:
-- rust-analyzer).
local function is_rust_analyzer(client)
  local name = (client and client.name or ""):lower():gsub("_", "-")
  return name == "rust-analyzer" or name == "ra"
end

--- Whether a rust-analyzer client is attached to `bufnr`.
function M.rust_analyzer_attached(bufnr)
  for _, client in ipairs(vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()) do
    if is_rust_analyzer(client) and vim.lsp.buf_is_attached(bufnr, client.id) then
      return true
    end
  end
  return false
end

-- The settings a server gets: the user's, with publishDiagnostics decided per buffer unless the user set it.
-- Without rust-analyzer nothing else shows rustc's errors, so sleepy publishes its own.
local function settings_for(bufnr)
  local settings = vim.deepcopy(state.config.settings)
  if state.auto_publish and bufnr then
    settings.publishDiagnostics = not M.rust_analyzer_attached(bufnr)
  end
  return settings
end

-- Looks again whether rust-analyzer is attached to the buffers of each sleepy client, and tells a server
-- whose answer changed (it then publishes its diagnostics, or clears them).
local function update_publishing(bufnr)
  if not (state.config and state.auto_publish) then
    return
  end
  for _, client in ipairs(M.clients(bufnr)) do
    local settings = settings_for(bufnr or vim.api.nvim_get_current_buf())
    if state.publishing[client.id] ~= settings.publishDiagnostics then
      state.publishing[client.id] = settings.publishDiagnostics
      client.config.settings = { sleepy = settings }
      client_notify(client, "workspace/didChangeConfiguration", { settings = { sleepy = settings } })
    end
  end
end

local function on_attach(client, bufnr)
  -- rust-analyzer may attach after sleepy (its FileType autocommand runs later, or it starts slower):
  -- look now, once this event is over, and again a little later (Neovim 0.7 has no LspAttach event).
  vim.schedule(function()
    update_publishing(bufnr)
  end)
  vim.defer_fn(function()
    if vim.api.nvim_buf_is_valid(bufnr) then
      update_publishing(bufnr)
    end
  end, 2000)
  if state.config.on_attach then
    state.config.on_attach(client, bufnr)
  end
end

-- The client configuration shared by every Neovim version.
local function client_config(root_dir, bufnr)
  local config = state.config
  local settings = settings_for(bufnr)
  return {
    name = NAME,
    cmd = config.cmd,
    root_dir = root_dir,
    init_options = settings,
    -- Sent as workspace/didChangeConfiguration after initialize, and answers workspace/configuration.
    settings = { sleepy = settings },
    capabilities = config.capabilities or vim.lsp.protocol.make_client_capabilities(),
    handlers = { ["sleepy/status"] = on_status },
    on_attach = on_attach,
    on_init = function(client)
      state.publishing[client.id] = settings.publishDiagnostics
    end,
    on_exit = on_exit,
  }
end

--- Whether the `trusted` option lets sleepy check the crate at `root`.
function M.is_trusted(root)
  local trusted = state.config.trusted
  if type(trusted) == "function" then
    return trusted(root) == true
  end
  if type(trusted) == "table" then
    local path = vim.fn.fnamemodify(root, ":p"):gsub("/$", "")
    for _, folder in ipairs(trusted) do
      local prefix = vim.fn.fnamemodify(vim.fn.expand(folder), ":p"):gsub("/$", "")
      if path == prefix or path:sub(1, #prefix + 1) == prefix .. "/" then
        return true
      end
    end
    return false
  end
  return trusted ~= false
end

local function untrusted(root)
  if M.is_trusted(root) then
    return false
  end
  notify_once(("%s is not a trusted folder: sleepy runs no cargo there (see the `trusted` option)"):format(root),
    vim.log.levels.WARN)
  return true
end

local function cmd_missing()
  local program = state.config.cmd[1]
  if vim.fn.executable(program) == 1 then
    return false
  end
  notify_once(
    ("%q is not executable: install sleepy-coder from its repository (python3 -m pip install /path/to/sleepy-coder) "):format(program)
      .. "or pass its path as cmd to require('sleepy').setup()",
    vim.log.levels.ERROR
  )
  return true
end

-- Neovim 0.7-0.10: start (or reuse) the client for this buffer's crate.
local function attach(bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= "" then
    return
  end
  local root = M.find_root(vim.api.nvim_buf_get_name(bufnr))
  if not root or untrusted(root) or cmd_missing() then
    return
  end
  if api() == "start" then
    vim.lsp.start(client_config(root, bufnr), { bufnr = bufnr })
    return
  end
  local id = state.clients[root]
  if not (id and vim.lsp.get_client_by_id(id)) then
    id = vim.lsp.start_client(client_config(root, bufnr))
    if not id then
      notify_once("could not start " .. table.concat(state.config.cmd, " "), vim.log.levels.ERROR)
      return
    end
    state.clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

local function register_with_neovim()
  local group = vim.api.nvim_create_augroup("sleepy", { clear = true })
  if api() == "config" then
    local config = client_config(nil)
    config.filetypes = state.config.filetypes
    config.root_dir = function(bufnr, on_dir)
      local root = M.find_root(vim.api.nvim_buf_get_name(bufnr))
      if root and not untrusted(root) and not cmd_missing() then
        on_dir(root)
      end
    end
    -- Assigned, not merged with vim.lsp.config(), so a second setup() replaces the first.
    vim.lsp.config[NAME] = config
    vim.lsp.enable(NAME)
    -- Neovim skips a config whose cmd is not executable without a word; say it here.
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = state.config.filetypes,
      callback = function(args)
        if M.find_root(vim.api.nvim_buf_get_name(args.buf)) then
          cmd_missing()
        end
      end,
    })
    return
  end
  if vim.lsp.is_enabled and vim.lsp.is_enabled(NAME) then
    -- An earlier setup() took the config route; only one route may start clients (this stops its clients).
    vim.lsp.enable(NAME, false)
  end
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = state.config.filetypes,
    callback = function(args)
      attach(args.buf)
    end,
  })
  -- Buffers opened before setup() (a lazy-loaded plugin) get their client now.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(state.config.filetypes, vim.bo[bufnr].filetype) then
      attach(bufnr)
    end
  end
end

-- Running servers learn about changed settings at once.
local function push_settings()
  for _, client in ipairs(M.clients()) do
    local settings = vim.deepcopy(state.config.settings)
    if state.auto_publish and state.publishing[client.id] ~= nil then
      settings.publishDiagnostics = state.publishing[client.id]
    end
    state.publishing[client.id] = settings.publishDiagnostics
    client.config.settings = { sleepy = settings }
    client_notify(client, "workspace/didChangeConfiguration", { settings = { sleepy = settings } })
  end
end

--- The command :SleepyStats runs: review_cmd when set, else `sleepy review` from the server's
--- environment (next to cmd[1], or `python -m sleepy_lsp.cli review` for a `python -m` cmd), reading
--- the database in settings.databasePath when that is set.
function M.review_cmd()
  local config = state.config or M.defaults()
  if config.review_cmd then
    return config.review_cmd
  end
  local server = config.cmd[1]
  local cmd = { "sleepy", "review" }
  if #config.cmd == 1 and server:match("sleepy%-lsp$") and server:find("/", 1, true) then
    cmd = { (server:gsub("sleepy%-lsp$", "sleepy")), "review" }
  elseif #config.cmd >= 3 and config.cmd[2] == "-m" then
    cmd = { server, "-m", "sleepy_lsp.cli", "review" }
  end
  if config.settings.databasePath ~= "" then
    vim.list_extend(cmd, { "--db", config.settings.databasePath })
  end
  return cmd
end

local function show_scratch(lines)
  local buf = state.stats_buf
  if not (buf and vim.api.nvim_buf_is_valid(buf)) then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, "sleepy://stats")
    vim.bo[buf].bufhidden = "hide"
    vim.bo[buf].filetype = "sleepystats"
    vim.keymap.set("n", "q", "<cmd>close<cr>", { buffer = buf, silent = true })
    state.stats_buf = buf
  end
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  local win = vim.fn.bufwinid(buf)
  if win == -1 then
    vim.cmd("botright split")
    vim.api.nvim_win_set_buf(0, buf)
  else
    vim.api.nvim_set_current_win(win)
  end
  return buf
end

--- :SleepyStats: runs `sleepy review` and shows its report in a scratch buffer.
---
--- Args:
---   on_done: optional, called with the buffer (tests use it to wait).
function M.stats(on_done)
  local cmd = M.review_cmd()
  local stdout, stderr = {}, {}
  local function collector(into)
    return function(_, data)
      for _, line in ipairs(data or {}) do
        table.insert(into, (line:gsub("\27%[[%d;]*m", "")))
      end
    end
  end
  local ok, job = pcall(vim.fn.jobstart, cmd, {
    stdout_buffered = true,
    stderr_buffered = true,
    env = { COLUMNS = "120", NO_COLOR = "1" },
    on_stdout = collector(stdout),
    on_stderr = collector(stderr),
    on_exit = function(_, code)
      local output = vim.list_extend(stdout, stderr)
      while output[#output] == "" do
        table.remove(output)
      end
      if code ~= 0 then
        notify(("`%s` failed with exit code %d"):format(table.concat(cmd, " "), code), vim.log.levels.ERROR)
      end
      local buf = show_scratch(#output > 0 and output or { "(no output)" })
      if on_done then
        on_done(buf, code)
      end
    end,
  })
  if not ok or job <= 0 then
    notify(
      ("cannot run %q: install sleepy-coder from its repository (python3 -m pip install /path/to/sleepy-coder) or set review_cmd in setup()"):format(
        cmd[1]
      ),
      vim.log.levels.ERROR
    )
  end
end

--- :SleepyRejectLast: tells the server that the last fix it applied was wrong.
function M.reject_last()
  local clients = M.clients(0)
  if #clients == 0 then
    clients = M.clients()
  end
  local client = clients[1]
  if not client then
    notify("sleepy-lsp is not running, so there is no fix to reject", vim.log.levels.WARN)
    return
  end
  client_request(client, "workspace/executeCommand", { command = "sleepy.rejectLast", arguments = {} }, function(err, result)
    if err then
      notify("could not reject the last fix: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    local message = type(result) == "string" and result
      or (type(result) == "table" and type(result.message) == "string" and result.message)
      or "the last applied fix is recorded as wrong"
    notify(message)
  end, vim.api.nvim_get_current_buf())
end

--- Configures the plugin and starts the server for Rust buffers. Safe to call again: the new options
--- replace the old ones and running servers get the new settings.
---
--- Args:
---   opts: merged over M.defaults() with vim.tbl_deep_extend("force", ...).
function M.setup(opts)
  opts = opts or {}
  local config = vim.tbl_deep_extend("force", M.defaults(), opts)
  if type(config.cmd) ~= "table" or type(config.cmd[1]) ~= "string" then
    notify("cmd must be a list of strings, such as { 'sleepy-lsp' }", vim.log.levels.ERROR)
    return
  end
  if config.api and not (APIS[config.api] and has(APIS[config.api])) then
    notify(("api %q is not available in this Neovim; using the default"):format(config.api), vim.log.levels.WARN)
    config.api = nil
  end
  check_settings(opts.settings or {}, DEFAULTS.settings, "")
  local again = state.config ~= nil
  state.config = config
  state.auto_publish = opts.settings == nil or opts.settings.publishDiagnostics == nil

  vim.api.nvim_create_user_command("SleepyStats", function()
    M.stats()
  end, { desc = "sleepy-coder: show fix statistics (sleepy review)" })
  vim.api.nvim_create_user_command("SleepyRejectLast", function()
    M.reject_last()
  end, { desc = "sleepy-coder: the last applied fix was wrong" })

  register_with_neovim()
  if again then
    push_settings()
  end
  if vim.fn.exists("##LspAttach") == 1 then
    -- Neovim 0.8+: rust-analyzer coming or going changes who shows the errors.
    local group = vim.api.nvim_create_augroup("sleepy_publishing", { clear = true })
    vim.api.nvim_create_autocmd({ "LspAttach", "LspDetach" }, {
      group = group,
      callback = function(args)
        local client = args.data and vim.lsp.get_client_by_id(args.data.client_id)
        if client and is_rust_analyzer(client) then
          vim.schedule(function()
            if vim.api.nvim_buf_is_valid(args.buf) then
              update_publishing(args.buf)
            end
          end)
        end
      end,
    })
  end
end

return M
