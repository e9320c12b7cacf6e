;;; driver.el --- drive Emacs + eglot through one end-to-end scenario  -*- lexical-binding: t; -*-

;; Run as: CODEGEN_TEST_PLAN=plan.json emacs --batch -l driver.el
;; The plan (written by test/editors/emacs.test.ts) names the user config from
;; client-configs/emacs, test-only setting overrides (the fake LLM's URL, a log file), the file
;; to open and the steps to run.  The driver loads the user config unchanged, merges the
;; overrides into the :initializationOptions of its `eglot-server-programs' entry, runs the
;; steps through eglot's own commands, writes what it saw to the plan's result file as JSON and
;; exits.  Every wait has a deadline and a watchdog ends the run, so a broken server makes the
;; run fail with a sentence naming the step instead of hanging.

;;; Code:

(require 'cl-lib)
(require 'json)
(require 'subr-x)

(defvar codegen-test-plan
  (let ((json-object-type 'plist) (json-array-type 'vector) (json-key-type 'keyword) (json-false :json-false))
    (json-read-file (getenv "CODEGEN_TEST_PLAN"))))

;; NOTE: lists in the result are vectors, because json-encode takes a list of plists for an alist.
(defvar codegen-test-result (list :ok :json-false :steps [] :messages []))
(defvar codegen-test-current "startup")
(defvar codegen-test-server nil)

(defun codegen-test--get (key &optional plist)
  "The value of KEY in PLIST, or in the plan."
  (plist-get (or plist codegen-test-plan) key))

(defun codegen-test--set (key value)
  "Record VALUE under KEY in the result."
  (setq codegen-test-result (plist-put codegen-test-result key value)))

(defun codegen-test--note (kind text)
  "Record a message of KIND saying TEXT."
  (codegen-test--set :messages
                     (vconcat (plist-get codegen-test-result :messages)
                              (list (list :kind kind :text (format "%s" text))))))

(defun codegen-test--write-result ()
  "Write the result file, and eglot's events buffer (its LSP log) next to it."
  (when (and codegen-test-server (buffer-live-p (jsonrpc-events-buffer codegen-test-server)))
    (with-current-buffer (jsonrpc-events-buffer codegen-test-server)
      (write-region (point-min) (point-max) (codegen-test--get :eventsLog) nil 'silent)))
  (with-temp-file (codegen-test--get :result)
    (insert (json-encode codegen-test-result))))

(defun codegen-test--finish (ok &optional error-text)
  "End the run: record OK and ERROR-TEXT, write the result and exit."
  (codegen-test--set :ok (if ok t :json-false))
  (when error-text
    (codegen-test--set :error error-text)
    (codegen-test--set :failedStep codegen-test-current))
  (ignore-errors (codegen-test--write-result))
  (kill-emacs (if ok 0 1)))

;; NOTE: batch Emacs 28 prints a backtrace for an error in a process sentinel (eglot signals one
;; when the server dies) and may exit with 255 before the driver can write its result.
(setq backtrace-on-error-noninteractive nil)

(defvar codegen-test-server-exit nil
  "How the server process ended (the sentinel's event), once it has.")

(defvar codegen-test-exit-expected nil
  "Non-nil during the shutdown step, where the server is meant to exit.")

(defun codegen-test--wait (what seconds pred)
  "Process events until PRED is true; fail naming WHAT after SECONDS.
A server that exits meanwhile (outside the shutdown step) fails the run at once."
  (let ((deadline (+ (float-time) seconds)))
    (while (not (funcall pred))
      (when (and codegen-test-server-exit (not codegen-test-exit-expected))
        (error "The server exited (%s) while waiting for %s" (string-trim codegen-test-server-exit) what))
      (when (> (float-time) deadline)
        (error "Timed out after %ss waiting for %s" seconds what))
      (accept-process-output nil 0.05))))

(defun codegen-test--plistp (x)
  "Non-nil when X looks like a JSON object read as a plist."
  (and (consp x) (keywordp (car x))))

(defun codegen-test--merge (dst src)
  "DST with SRC's keys merged in; nested objects merge key by key, the rest is replaced."
  (let ((out (copy-sequence dst)))
    (cl-loop for (k v) on src by #'cddr
             do (let ((old (plist-get out k)))
                  (setq out (plist-put out k (if (and (codegen-test--plistp v) (codegen-test--plistp old))
                                                 (codegen-test--merge old v)
                                               v)))))
    out))

;; A prompt would read from stdin, which a batch run does not have: record it and fail fast.
(defvar codegen-test-prompt nil)
(dolist (fn '(y-or-n-p yes-or-no-p))
  (advice-add fn :override (lambda (prompt &rest _)
                             (setq codegen-test-prompt prompt)
                             (error "Unexpected prompt: %s" prompt))))

;; The watchdog: a run never outlives the plan's deadline.
(run-at-time (/ (codegen-test--get :totalTimeoutMs) 1000.0) nil
             (lambda () (codegen-test--finish nil (format "watchdog: the run took longer than %sms (in step %s)"
                                                          (codegen-test--get :totalTimeoutMs) codegen-test-current))))

(require 'eglot)
(advice-add 'jsonrpc--process-sentinel :before
            (lambda (proc event)
              (when (and (string-prefix-p "EGLOT" (process-name proc)) (not (process-live-p proc)))
                (setq codegen-test-server-exit event))))
(codegen-test--set :emacsVersion emacs-version)
(codegen-test--set :eglotFile (locate-library "eglot"))

;; Emacs 28 has no TypeScript mode of its own (typescript-mode comes from MELPA, the tree-sitter
;; modes from Emacs 29), so tests use a minimal stand-in with the same name.
(unless (fboundp 'typescript-mode)
  (define-derived-mode typescript-mode prog-mode "TypeScript")
  (add-to-list 'auto-mode-alist '("\\.ts\\'" . typescript-mode)))

(load (codegen-test--get :config) nil t)

;; Test-only overrides go into the user's entry, so the config file itself runs unchanged.
(let ((overrides (codegen-test--get :overrides))
      (found nil))
  (dolist (entry eglot-server-programs)
    (let ((contact (cdr-safe entry)))
      (when (and (consp contact) (equal (car contact) "codegen-language-server"))
        (setq found t)
        (let* ((tail (memq :initializationOptions contact))
               (head (cl-subseq contact 0 (- (length contact) (length tail))))
               (options (codegen-test--merge (cadr tail) overrides)))
          (setcdr entry (append head (list :initializationOptions options) (cddr tail)))))))
  (unless found
    (codegen-test--finish nil "the config adds no \"codegen-language-server\" entry to eglot-server-programs"))
  (setq-default eglot-workspace-configuration
                (list :codegen (codegen-test--merge (plist-get (default-value 'eglot-workspace-configuration) :codegen)
                                                    overrides))))

(defun codegen-test--text ()
  "The current buffer's text without properties."
  (buffer-substring-no-properties (point-min) (point-max)))

(defun codegen-test--goto (step)
  "Move point to STEP's zero-based :line and :character."
  (goto-char (point-min))
  (forward-line (codegen-test--get :line step))
  (forward-char (codegen-test--get :character step)))

(defun codegen-test--timeout (step)
  "STEP's deadline in seconds."
  (/ (or (codegen-test--get :timeoutMs step) (codegen-test--get :stepTimeoutMs)) 1000.0))

(defun codegen-test--step-settings (_step)
  "Ask the server which settings it ended up with."
  (let ((res (jsonrpc-request codegen-test-server :codegen/settings nil)))
    (list :settings (plist-get res :settings) :workspaceFolders (plist-get res :workspaceFolders))))

(defun codegen-test--step-codeActions (step)
  "List the code actions at STEP's position and run the one titled :choose, as `eglot-code-actions' does."
  (codegen-test--goto step)
  (let* ((tick (buffer-chars-modified-tick))
         (actions (eglot-code-actions (point) nil nil nil))
         (titles (mapcar (lambda (a) (plist-get a :title)) actions))
         (choose (codegen-test--get :choose step))
         (out (list :titles (vconcat titles))))
    (when choose
      (let ((title (cl-find-if (lambda (title) (string-match-p (regexp-quote choose) title)) titles)))
        (unless title
          (error "No code action titled %S; offered: %s" choose (string-join titles " | ")))
        ;; How the edit travels: eglot 1.9 has no codeAction/resolve, so either in the action
        ;; itself or as a command whose edit comes back through workspace/applyEdit.
        (let ((action (cl-find title actions :key (lambda (a) (plist-get a :title)) :test #'equal)))
          (setq out (append out (list :path (cond ((plist-get action :edit) "edit")
                                                  ((plist-get action :command) "command")
                                                  (t "none"))))))
        ;; eglot's own menu code runs the choice: an edit is applied, a command is executed
        ;; (and its edit arrives later through workspace/applyEdit).
        (cl-letf (((symbol-function 'completing-read) (lambda (&rest _) title)))
          (let ((last-nonmenu-event ?\r))
            (eglot--read-execute-code-action actions codegen-test-server)))
        (codegen-test--wait (format "the edit of %S to reach the buffer" choose) (codegen-test--timeout step)
                            (lambda () (or codegen-test-prompt (/= tick (buffer-chars-modified-tick)))))
        (when codegen-test-prompt (error "Unexpected prompt: %s" codegen-test-prompt))
        ;; One action is one edit; give a stray second edit (a double generation) time to show up.
        (sit-for (/ (or (codegen-test--get :settleMs step) 500) 1000.0))
        (setq out (append out (list :text (codegen-test--text))))))
    out))

(defun codegen-test--step-hover (step)
  "Ask for hover at STEP's position through eglot's eldoc function and record the text it shows."
  (codegen-test--goto step)
  (let ((answered nil) (info nil))
    (eglot-hover-eldoc-function (lambda (text &rest _) (setq answered t info text)))
    (codegen-test--wait "the hover answer" (codegen-test--timeout step) (lambda () answered))
    (list :text info)))

(defun codegen-test--step-completion (step)
  "Ask for completion at STEP's position through `eglot-completion-at-point' and record the candidates."
  (codegen-test--goto step)
  (let* ((capf (or (eglot-completion-at-point) (error "eglot-completion-at-point returned nil")))
         (prefix (buffer-substring-no-properties (nth 0 capf) (nth 1 capf)))
         (candidates (all-completions prefix (nth 2 capf))))
    (list :prefix prefix
          :items (vconcat
                  (mapcar (lambda (c)
                           (let ((item (get-text-property 0 'eglot--lsp-item c)))
                             (list :candidate (substring-no-properties c)
                                   :label (plist-get item :label)
                                   :detail (plist-get item :detail)
                                   :insertText (plist-get item :insertText)
                                   :newText (plist-get (plist-get item :textEdit) :newText))))
                          candidates)))))

(defun codegen-test--step-open (step)
  "Open another file of the project; the config must hand it to the same server."
  (switch-to-buffer (find-file-noselect (codegen-test--get :file step)))
  (run-hooks 'post-command-hook)
  (codegen-test--wait (format "eglot to manage %s" (codegen-test--get :file step)) (codegen-test--timeout step)
                      (lambda () (and (bound-and-true-p eglot--managed-mode) (eglot-current-server))))
  (list :majorMode (symbol-name major-mode)
        :sameServer (if (eq (eglot-current-server) codegen-test-server) t :json-false)))

(defun codegen-test--step-shutdown (step)
  "Shut the server down as `eglot-shutdown' does, but wait for the process to exit by itself."
  ;; NOTE: eglot-shutdown deletes the process right after sending `exit', which would hide the
  ;; server's own exit code; this does the same protocol steps and then waits.
  (let ((proc (jsonrpc--process codegen-test-server)))
    (setq codegen-test-exit-expected t)
    (setf (eglot--shutdown-requested codegen-test-server) t)
    (jsonrpc-request codegen-test-server :shutdown nil :timeout (codegen-test--timeout step))
    (jsonrpc-notify codegen-test-server :exit nil)
    (codegen-test--wait "the server to exit after shutdown" (codegen-test--timeout step)
                        (lambda () (not (process-live-p proc))))
    (list :exitCode (process-exit-status proc) :status (symbol-name (process-status proc)))))

(defun codegen-test--run ()
  "Open the plan's file, wait for eglot to connect, run the steps."
  (setq codegen-test-current (format "open %s" (codegen-test--get :file)))
  (switch-to-buffer (find-file-noselect (codegen-test--get :file)))
  (codegen-test--set :majorMode (symbol-name major-mode))
  ;; eglot-ensure (from the user config's mode hooks) connects on the next command; batch Emacs
  ;; runs no commands, so run the hook the command loop would run.
  ;; NOTE: when the server dies during the handshake, eglot 1.9 throws out of its sentinel and
  ;; batch Emacs exits (code 255) past every handler, so leave a result saying where it stopped.
  (codegen-test--set :error "Emacs exited while eglot connected to the server (see its stderr)")
  (codegen-test--set :failedStep codegen-test-current)
  (codegen-test--write-result)
  (run-hooks 'post-command-hook)
  (codegen-test--wait (format "eglot to connect in %s" major-mode) (/ (codegen-test--get :attachTimeoutMs) 1000.0)
                      (lambda () (and (bound-and-true-p eglot--managed-mode) (eglot-current-server))))
  (setq codegen-test-server (eglot-current-server))
  (cl-remf codegen-test-result :error)
  (cl-remf codegen-test-result :failedStep)
  (codegen-test--set :serverCapabilities (eglot--capabilities codegen-test-server))
  (codegen-test--set :contact (format "%S" (process-command (jsonrpc--process codegen-test-server))))
  (dolist (step (append (codegen-test--get :steps) nil))
    (let ((kind (codegen-test--get :kind step)))
      (setq codegen-test-current kind)
      ;; As at the start: should batch Emacs exit during this step, past every handler, the result
      ;; names this step and holds the steps done before it.
      (codegen-test--set :error (format "Emacs exited during the %s step (see its stderr)" kind))
      (codegen-test--set :failedStep kind)
      (codegen-test--write-result)
      (let ((out (funcall (intern (format "codegen-test--step-%s" kind)) step)))
        (codegen-test--set :steps (vconcat (plist-get codegen-test-result :steps)
                                           (list (append (list :kind kind) out)))))))
  (cl-remf codegen-test-result :error)
  (cl-remf codegen-test-result :failedStep))

;; `t' also catches `quit', which eglot signals when the server dies while it connects.
(condition-case err
    (progn (codegen-test--run) (codegen-test--finish t))
  (t (codegen-test--finish nil (format "%s%s" (error-message-string err)
                                        (if codegen-test-server-exit
                                            (format " (the server exited: %s)" (string-trim codegen-test-server-exit))
                                          "")))))

;;; driver.el ends here
