;;; codegen-lsp-mode.el --- codegen-language-server with lsp-mode  -*- lexical-binding: t; -*-

;; Copy this into your init file, or save it on your `load-path' and `(require 'codegen-lsp-mode)'.
;; Needs lsp-mode and `codegen-language-server' on your PATH (`npm install -g codegen-language-server').
;; The server is registered as an add-on: it runs beside the usual server of each language
;; (pyright, typescript-language-server, gopls...) instead of replacing it.

;;; Code:

(require 'lsp-mode)

(defgroup codegen-lsp nil
  "codegen-language-server: an LLM behind completion, code actions and hover."
  :group 'lsp-mode
  :prefix "codegen-lsp-")

(defcustom codegen-lsp-initialization-options
  ;; Every key of server/settings/schema.json can go here, as a plist.  With nothing set the
  ;; server uses OpenAI when OPENAI_API_KEY is set, otherwise a local Ollama.
  ;;   :provider "ollama"            ; openai | ollama | llamacpp | vllm | lmstudio | openrouter | custom
  ;;   :baseUrl "http://127.0.0.1:11434/v1"
  ;;   :completion (:model "qwen2.5-coder:1.5b")
  ;;   :actions (:model "qwen2.5-coder:7b")
  ;;   :hover (:enabled t)           ; use :json-false for false
  '(:logLevel "info")
  "Settings sent to codegen-language-server as `initializationOptions'."
  :type 'plist
  :group 'codegen-lsp)

(defcustom codegen-lsp-languages
  '("python" "typescript" "typescriptreact" "javascript" "javascriptreact"
    "go" "rust" "java" "c" "cpp" "shellscript" "ruby")
  "LSP language ids for which the server starts.
See `lsp-language-id-configuration' for the id of each major mode."
  :type '(repeat string)
  :group 'codegen-lsp)

(lsp-register-client
 (make-lsp-client
  :new-connection (lsp-stdio-connection '("codegen-language-server" "--stdio"))
  :activation-fn (lambda (_file-name _mode)
                   (member (lsp-buffer-language) codegen-lsp-languages))
  :server-id 'codegen
  :add-on? t
  ;; A low priority keeps the usual server first for the features both provide.
  :priority -2
  :initialization-options (lambda () codegen-lsp-initialization-options)
  ;; The server also asks for section "codegen" through `workspace/configuration'.
  :initialized-fn (lambda (workspace)
                    (with-lsp-workspace workspace
                      (lsp--set-configuration
                       `(:codegen ,codegen-lsp-initialization-options))))))

;; Suggested keys: lsp-mode's own `s-l a a' (code actions) and `s-l h h' (describe thing at
;; point) reach this server too; these are shorter.
(with-eval-after-load 'lsp-mode
  (define-key lsp-mode-map (kbd "C-c c a") #'lsp-execute-code-action)
  (define-key lsp-mode-map (kbd "C-c c h") #'lsp-describe-thing-at-point))

(provide 'codegen-lsp-mode)
;;; codegen-lsp-mode.el ends here
