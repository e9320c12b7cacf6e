-- Drives a real headless Neovim (0.7+) through one end-to-end scenario against
-- codegen-language-server, using the client config a user would copy from client-configs/neovim.
--
-- Run as: CODEGEN_TEST_PLAN=plan.json nvim --headless -n -i NONE -u driver.lua
-- The plan (written by test/editors/nvim.test.ts) names the user config, test-only setting
-- overrides (the fake LLM's URL, a log file), the file to open and the steps to run. The driver
-- writes what it saw to plan.result as JSON and quits; every wait has a deadline, so a broken
-- server makes the run fail with a sentence naming the step instead of hanging.

local plan_path = os.getenv("CODEGEN_TEST_PLAN")
local plan = vim.fn.json_decode(table.concat(vim.fn.readfile(plan_path), "\n"))

local result = { ok = false, steps = {}, messages = {}, starts = 0 }
local current = "startup"

local function write_result()
  vim.fn.writefile({ vim.fn.json_encode(result) }, plan.result)
end

local function note(kind, text)
  table.insert(result.messages, { kind = kind, text = tostring(text) })
end

-- Waits until cond() is true, processing events meanwhile; fails the run with `what` otherwise.
-- A server that exits while we wait (outside the shutdown step) fails the run at once.
local function wait_for(what, ms, cond, exit_expected)
  local ok = vim.wait(ms, function()
    return cond() or (not exit_expected and result.exitCode ~= nil)
  end, 20)
  if not exit_expected and result.exitCode ~= nil and not cond() then
    error(string.format("the server exited (code %s) while waiting for %s", tostring(result.exitCode), what), 0)
  end
  if not ok then
    error(string.format("timed out after %d ms waiting for %s", ms, what), 0)
  end
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
end

-- Test-only overrides go into whatever the user config passes as init_options and settings, so
-- the config file itself runs unchanged. Tables merge key by key; lists and scalars replace.
local function merge(dst, src)
  for k, v in pairs(src) do
    if type(v) == "table" and type(dst[k]) == "table" and not vim.tbl_islist(v) then
      merge(dst[k], v)
    else
      dst[k] = vim.deepcopy(v)
    end
  end
  return dst
end

local function patch(config)
  config = vim.deepcopy(config)
  config.init_options = merge(config.init_options or {}, plan.overrides)
  config.settings = config.settings or {}
  config.settings.codegen = merge(config.settings.codegen or {}, plan.overrides)
  result.clientConfig = { name = config.name, cmd = config.cmd, root_dir = config.root_dir }
  local on_exit = config.on_exit
  config.on_exit = function(code, signal, client_id)
    result.exitCode = code
    result.exitSignal = signal
    if on_exit then
      on_exit(code, signal, client_id)
    end
  end
  return config
end

local real_start_client = vim.lsp.start_client
vim.lsp.start_client = function(config)
  result.starts = result.starts + 1
  return real_start_client(patch(config))
end
if vim.lsp.start then
  local real_start = vim.lsp.start
  vim.lsp.start = function(config, opts)
    return real_start(patch(config), opts)
  end
end

-- Record what the server tells the user, and notifications from Neovim itself (errors from
-- codeAction/resolve arrive that way), so a failing run can show them.
for _, method in ipairs({ "window/showMessage", "window/logMessage" }) do
  local original = vim.lsp.handlers[method]
  vim.lsp.handlers[method] = function(err, res, ctx, config)
    if res and res.message then
      note(method, res.message)
    end
    if method == "window/showMessage" then
      return original(err, res, ctx, config)
    end
  end
end
local real_notify = vim.notify
vim.notify = function(msg, level, opts)
  note("notify", msg)
  if level and level >= vim.log.levels.ERROR then
    result.notifyError = tostring(msg)
  end
  return real_notify(msg, level, opts)
end

vim.lsp.set_log_level("debug")
result.lspLog = vim.lsp.get_log_path()
result.nvimVersion = tostring(vim.version().major) .. "." .. vim.version().minor .. "." .. vim.version().patch

dofile(plan.config)

local function codegen_client(bufnr)
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if c.name == "codegen" then
      return c
    end
  end
  return nil
end

local function fail_on_notify_error()
  if result.notifyError then
    error("Neovim reported an error: " .. result.notifyError, 0)
  end
end

local steps = {}

function steps.settings(step, ctx)
  local res = ctx.client.request_sync("codegen/settings", {}, step.timeoutMs, ctx.bufnr)
  if not res or res.err then
    error("codegen/settings failed: " .. vim.inspect(res), 0)
  end
  return { settings = res.result.settings, workspaceFolders = res.result.workspaceFolders }
end

function steps.codeActions(step, ctx)
  vim.api.nvim_win_set_cursor(0, { step.line + 1, step.character })
  local tick = vim.api.nvim_buf_get_changedtick(ctx.bufnr)
  local offered, chosen
  vim.ui.select = function(items, _, on_choice)
    offered = {}
    for _, item in ipairs(items) do
      table.insert(offered, item[2].title)
      if not chosen and step.choose and item[2].title:find(step.choose, 1, true) then
        chosen = item
      end
    end
    on_choice(chosen)
  end
  vim.lsp.buf.code_action()
  wait_for("the code action menu", step.timeoutMs, function()
    return offered ~= nil or result.notifyError ~= nil
  end)
  fail_on_notify_error()
  local out = { titles = offered }
  if chosen then
    -- How the edit travels: in the action itself, through codeAction/resolve (the action has
    -- neither edit nor a usable command yet), or as a command the server runs.
    local action = chosen[2]
    local caps = ctx.client.server_capabilities or {}
    local resolvable = type(caps.codeActionProvider) == "table" and caps.codeActionProvider.resolveProvider
    out.path = action.edit and "edit" or (resolvable and "resolve") or (action.command and "command") or "none"
  end
  if not step.choose then
    return out
  end
  if not chosen then
    error(string.format("no code action titled %q; offered: %s", step.choose, table.concat(offered, " | ")), 0)
  end
  wait_for(string.format("the edit of %q to reach the buffer", step.choose), step.timeoutMs, function()
    return vim.api.nvim_buf_get_changedtick(ctx.bufnr) ~= tick or result.notifyError ~= nil
  end)
  fail_on_notify_error()
  -- One action is one edit; give a stray second edit (a double generation) time to show up.
  vim.wait(step.settleMs or 500)
  out.text = buffer_text(ctx.bufnr)
  out.changes = vim.api.nvim_buf_get_changedtick(ctx.bufnr) - tick
  return out
end

function steps.hover(step, ctx)
  vim.api.nvim_win_set_cursor(0, { step.line + 1, step.character })
  local answered, raw = false, nil
  local original = vim.lsp.handlers["textDocument/hover"]
  vim.lsp.handlers["textDocument/hover"] = function(err, res, hctx, config)
    answered, raw = true, res
    if err then
      note("hover error", err.message)
    end
    return original(err, res, hctx, config)
  end
  vim.lsp.buf.hover()
  wait_for("the hover answer", step.timeoutMs, function()
    return answered
  end)
  vim.lsp.handlers["textDocument/hover"] = original
  local out = { raw = raw, lines = {} }
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      out.lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
      vim.api.nvim_win_close(win, true)
    end
  end
  return out
end

function steps.completion(step, ctx)
  local line = vim.api.nvim_buf_get_lines(ctx.bufnr, step.line, step.line + 1, false)[1] or ""
  local prefix = line:sub(1, step.character):match("[%w_]*$") or ""
  -- NOTE: in insert mode the cursor can sit after the last character, which normal mode (the
  -- mode a headless run is in) cannot express, so the position is given as omnifunc would send it.
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(ctx.bufnr) },
    position = { line = step.line, character = step.character },
    context = { triggerKind = 1 },
  }
  local responses, err = vim.lsp.buf_request_sync(ctx.bufnr, "textDocument/completion", params, step.timeoutMs)
  if not responses then
    error("textDocument/completion: " .. tostring(err), 0)
  end
  local res = responses[ctx.client.id]
  if not res then
    error("textDocument/completion: no answer from the codegen client", 0)
  end
  if res.err then
    error("textDocument/completion failed: " .. vim.inspect(res.err), 0)
  end
  local items = vim.lsp.util.text_document_completion_list_to_complete_items(res.result, prefix)
  local out = { prefix = prefix, items = {} }
  for _, item in ipairs(items) do
    table.insert(out.items, { word = item.word, abbr = item.abbr, menu = item.menu, info = item.info })
  end
  return out
end

-- Opens another file of the project; the config must attach it to the same server.
function steps.open(step, ctx)
  local starts = result.starts
  vim.cmd("edit " .. vim.fn.fnameescape(step.file))
  local bufnr = vim.api.nvim_get_current_buf()
  local filetype = vim.bo[bufnr].filetype
  wait_for(string.format("the codegen client to attach to %s (filetype %q)", step.file, filetype), step.timeoutMs, function()
    return codegen_client(bufnr) ~= nil
  end)
  return {
    filetype = filetype,
    sameServer = codegen_client(bufnr).id == ctx.client.id,
    newStarts = result.starts - starts,
  }
end

function steps.shutdown(step, ctx)
  vim.lsp.stop_client(ctx.client.id)
  wait_for("the server to exit after shutdown", step.timeoutMs, function()
    return result.exitCode ~= nil
  end, true)
  return { exitCode = result.exitCode }
end

local function run()
  current = "open " .. plan.file
  vim.cmd("edit " .. vim.fn.fnameescape(plan.file))
  local bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype
  -- The config's FileType autocmd runs synchronously inside :edit, so no start now means the
  -- config does not handle this filetype: say so at once instead of waiting.
  if result.starts == 0 then
    error(string.format("the config started no language server for %s (filetype %q)", plan.file, result.filetype), 0)
  end
  wait_for(string.format("the codegen client to attach (filetype %q)", result.filetype), plan.attachTimeoutMs, function()
    local c = codegen_client(bufnr)
    return c ~= nil and c.initialized == true
  end)
  local ctx = { bufnr = bufnr, client = codegen_client(bufnr) }
  result.serverCapabilities = ctx.client.server_capabilities
  for _, step in ipairs(plan.steps) do
    current = step.kind
    step.timeoutMs = step.timeoutMs or plan.stepTimeoutMs
    local out = steps[step.kind](step, ctx)
    out.kind = step.kind
    table.insert(result.steps, out)
  end
end

vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  -- Nested, so that :edit inside this callback fires filetype detection and the config's FileType
  -- autocmd as it does when a user opens a file.
  nested = true,
  callback = function()
    local ok, err = xpcall(run, debug.traceback)
    result.ok = ok
    if not ok then
      result.error = tostring(err)
      result.failedStep = current
    end
    write_result()
    vim.cmd("qa!")
  end,
})
