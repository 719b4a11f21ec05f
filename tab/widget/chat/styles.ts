/** The chat window's CSS, scoped by the shadow root; Fluent 2 colours and system fonts. */
import { FONT_STACK } from '../shared/theme.js';

export const CHAT_CSS = `
.sb-window {
  --brand: #0f6cbd; --brand-hover: #115ea3; --brand-pressed: #0c3b5e; --brand-soft: #ebf3fc;
  --fg: #242424; --fg2: #616161; --fg3: #707070; --stroke: #e0e0e0; --bg: #ffffff; --bg2: #f5f5f5;
  position: fixed; right: 20px; bottom: 88px; z-index: 2147483000;
  width: 380px; height: 620px; max-height: calc(100vh - 108px);
  display: flex; flex-direction: column; overflow: hidden; box-sizing: border-box;
  background: var(--bg); color: var(--fg); border-radius: 12px;
  box-shadow: 0 14px 28.8px rgba(0,0,0,.24), 0 0 8px rgba(0,0,0,.20);
  font: 400 14px/20px ${FONT_STACK}; text-align: left;
  animation: sb-in .18s ease-out;
}
.sb-window[hidden] { display: none; }
.sb-window.sb-dropping { outline: 2px dashed var(--brand); outline-offset: -6px; }
.sb-window *, .sb-window *::before, .sb-window *::after { box-sizing: border-box; }
@keyframes sb-in { from { opacity: 0; transform: translateY(12px) scale(.98); } to { opacity: 1; transform: none; } }
.sb-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.sb-svg { width: 20px; height: 20px; fill: currentColor; flex: none; }

.sb-header { display: flex; align-items: center; gap: 2px; padding: 14px 6px 14px 14px; background: var(--brand); color: #fff; }
/* White at 18% over the header left the agent's white initials at 3.9:1, under WCAG 1.4.3's 4.5:1; darkened, over 7:1. */
.sb-avatar { width: 36px; height: 36px; margin-right: 10px; border-radius: 50%; background: rgba(0,0,0,.24); display: grid; place-items: center; flex: none; font-weight: 600; font-size: 14px; }
.sb-titles { flex: 1; min-width: 0; margin-right: 4px; }
.sb-title { margin: 0; font-size: 15px; line-height: 22px; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.sb-subtitle { margin: 0; font-size: 12px; line-height: 16px; opacity: .9; display: flex; align-items: center; gap: 6px; }
.sb-dot { width: 8px; height: 8px; border-radius: 50%; background: #6bb700; flex: none; }
.sb-subtitle[data-status="connecting"] .sb-dot, .sb-subtitle[data-status="reconnecting"] .sb-dot, .sb-subtitle[data-status="waiting"] .sb-dot { background: #f7d56d; }
.sb-subtitle[data-status="ended"] .sb-dot, .sb-subtitle[data-status="refused"] .sb-dot { background: #c8c6c4; }
.sb-identity { margin: 0; font-size: 12px; line-height: 16px; opacity: .9; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.sb-subtitle[data-status="error"] .sb-dot { background: #f1707b; }
.sb-icon-btn { width: 28px; height: 32px; border: 0; border-radius: 6px; background: transparent; color: #fff; display: grid; place-items: center; cursor: pointer; padding: 0; }
.sb-icon-btn:hover { background: rgba(255,255,255,.14); }
.sb-icon-btn:active { background: rgba(255,255,255,.24); }

.sb-banner { display: flex; gap: 8px; align-items: center; padding: 10px 16px; background: var(--brand-soft); color: var(--brand-pressed); font-size: 13px; border-bottom: 1px solid #cfe4fa; }
.sb-banner[hidden] { display: none; }
.sb-spinner { width: 14px; height: 14px; border-radius: 50%; border: 2px solid #b4d6fa; border-top-color: var(--brand); animation: sb-spin 1s linear infinite; flex: none; }
@keyframes sb-spin { to { transform: rotate(360deg); } }

.sb-log { flex: 1; overflow-y: auto; padding: 16px 16px 8px; background: #fafafa; display: flex; flex-direction: column; gap: 6px; }
.sb-log:focus-visible { outline: 2px solid var(--brand); outline-offset: -2px; }
.sb-empty { margin: auto; text-align: center; color: var(--fg2); font-size: 13px; padding: 24px; display: flex; flex-direction: column; align-items: center; gap: 4px; }
.sb-empty p { margin: 0 0 8px; }
.sb-empty .sb-primary { align-self: center; }
.sb-empty .sb-refusal { color: var(--fg); }
.sb-refusal:empty { display: none; }
.sb-msg { display: flex; flex-direction: column; max-width: 82%; }
.sb-msg-them { align-self: flex-start; align-items: flex-start; }
.sb-msg-me { align-self: flex-end; align-items: flex-end; }
.sb-sender { font-size: 12px; line-height: 16px; color: var(--fg2); font-weight: 600; margin: 8px 0 3px 2px; }
.sb-bubble { padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
.sb-msg-them .sb-bubble { background: var(--bg); border: 1px solid var(--stroke); border-top-left-radius: 4px; box-shadow: 0 1px 2px rgba(0,0,0,.04); }
.sb-msg-me .sb-bubble { background: var(--brand); color: #fff; border-top-right-radius: 4px; }
.sb-msg-me[data-pending] .sb-bubble { opacity: .7; }
.sb-bubble a { color: var(--brand); text-decoration: underline; }
.sb-msg-me .sb-bubble a { color: #fff; }
.sb-muted { color: var(--fg2); font-style: italic; }
.sb-file-box { margin-top: 4px; }
.sb-file { display: inline-block; max-width: 100%; padding: 6px 12px; border: 1px solid var(--stroke); border-radius: 8px; background: var(--bg); color: var(--fg); overflow-wrap: anywhere; }
a.sb-file { color: var(--brand); text-decoration: underline; }
.sb-thumb-link { display: block; line-height: 0; border-radius: 8px; }
.sb-thumb { display: block; max-width: 200px; max-height: 200px; border-radius: 8px; border: 1px solid var(--stroke); background: var(--bg); }
.sb-meta { font-size: 11px; line-height: 14px; color: var(--fg3); margin: 3px 4px 4px; display: flex; align-items: center; gap: 8px; }
.sb-meta[hidden] { display: none; }
.sb-not-sent { color: #b10e1c; font-weight: 600; }
.sb-msg-me[data-failed] .sb-bubble { background: var(--bg); color: var(--fg); border: 1px dashed #b10e1c; }
.sb-retry { border: 1px solid var(--brand); border-radius: 6px; background: var(--bg); color: var(--brand); font: 600 12px/16px ${FONT_STACK}; padding: 4px 10px; cursor: pointer; }
.sb-retry:hover { background: var(--brand-soft); }
.sb-notice { align-self: stretch; display: flex; align-items: center; gap: 10px; color: var(--fg2); font-size: 12px; margin: 8px 0; }
.sb-notice::before, .sb-notice::after { content: ""; flex: 1; height: 1px; background: var(--stroke); }

.sb-card { margin-top: 6px; width: 260px; max-width: 100%; background: var(--bg); border: 1px solid var(--stroke); border-radius: 12px; overflow: hidden; box-shadow: 0 2px 4px rgba(0,0,0,.06); }
.sb-card-title { font-weight: 600; font-size: 15px; padding: 12px 14px 0; }
.sb-card-subtitle { color: var(--fg2); font-size: 12px; padding: 2px 14px 0; }
.sb-card-text { padding: 6px 14px 12px; white-space: pre-wrap; }
.sb-card-actions { display: flex; flex-direction: column; border-top: 1px solid var(--stroke); }
.sb-card-btn { display: block; padding: 10px 14px; border: 0; background: transparent; color: var(--brand); font: 600 14px/20px ${FONT_STACK}; text-align: center; cursor: pointer; text-decoration: none; }
.sb-card-btn + .sb-card-btn { border-top: 1px solid var(--stroke); }
.sb-card-btn:hover { background: var(--brand-soft); }
.sb-disabled { color: var(--fg3); cursor: default; }

.sb-suggested { display: flex; flex-wrap: wrap; gap: 8px; padding: 8px 16px; justify-content: flex-end; background: #fafafa; }
.sb-suggested:empty { display: none; }
.sb-chip { border: 1px solid var(--brand); color: var(--brand); background: var(--bg); border-radius: 16px; padding: 5px 14px; font: 600 13px/18px ${FONT_STACK}; cursor: pointer; }
.sb-chip:hover { background: var(--brand-soft); }
.sb-chip:active { background: #cfe4fa; }

.sb-typing { display: flex; align-items: center; gap: 8px; padding: 2px 18px 8px; font-size: 12px; color: var(--fg2); background: #fafafa; min-height: 0; }
.sb-typing[hidden] { display: none; }
.sb-dots { display: inline-flex; gap: 3px; padding: 8px 10px; background: var(--bg); border: 1px solid var(--stroke); border-radius: 12px; }
.sb-dots i { width: 6px; height: 6px; border-radius: 50%; background: #8a8886; animation: sb-bounce 1.2s infinite ease-in-out; }
.sb-dots i:nth-child(2) { animation-delay: .15s; } .sb-dots i:nth-child(3) { animation-delay: .3s; }
@keyframes sb-bounce { 0%, 60%, 100% { transform: none; opacity: .5; } 30% { transform: translateY(-3px); opacity: 1; } }

.sb-composer { display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px; border-top: 1px solid var(--stroke); background: var(--bg); }
.sb-composer[hidden] { display: none; }
.sb-limit { margin: 0; padding: 0 14px 8px; font-size: 12px; color: var(--fg2); background: var(--bg); }
.sb-limit[hidden] { display: none; }
.sb-textarea { flex: 1; resize: none; border: 1px solid #d1d1d1; border-bottom-color: #616161; border-radius: 8px; padding: 9px 12px; font: 400 14px/20px ${FONT_STACK}; color: var(--fg); background: var(--bg); max-height: 120px; min-height: 40px; outline: none; }
.sb-textarea:focus { border-bottom: 2px solid var(--brand); padding-bottom: 8px; }
.sb-textarea:disabled { background: var(--bg2); }
.sb-attach { width: 40px; height: 40px; border: 0; border-radius: 8px; background: transparent; color: var(--fg2); display: grid; place-items: center; cursor: pointer; flex: none; padding: 0; }
.sb-attach:hover { background: var(--bg2); color: var(--brand); }
.sb-staged { display: flex; align-items: center; gap: 8px; margin: 0 12px; padding: 6px 6px 6px 12px; border: 1px solid var(--stroke); border-radius: 8px; background: var(--bg2); font-size: 13px; }
.sb-staged[hidden] { display: none; }
.sb-staged-name { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.sb-staged-remove { width: 28px; height: 28px; border: 0; border-radius: 6px; background: transparent; color: var(--fg2); display: grid; place-items: center; cursor: pointer; padding: 0; }
.sb-staged-remove:hover { background: var(--stroke); }
.sb-staged-remove .sb-svg { width: 16px; height: 16px; }
.sb-file-error { margin: 0; padding: 8px 14px 0; font-size: 12px; line-height: 16px; color: #b10e1c; background: var(--bg); }
.sb-file-error:empty { display: none; }
.sb-send { width: 40px; height: 40px; border: 0; border-radius: 8px; background: var(--brand); color: #fff; display: grid; place-items: center; cursor: pointer; flex: none; }
.sb-send:hover { background: var(--brand-hover); }
.sb-send:disabled { background: #e0e0e0; color: #bdbdbd; cursor: default; }

.sb-confirm { display: flex; flex-direction: column; gap: 6px; padding: 10px 12px; border-top: 1px solid var(--stroke); background: #fdf3f4; font-size: 13px; }
.sb-confirm[hidden], .sb-confirm-rate[hidden] { display: none; }
.sb-confirm-row, .sb-confirm-rate { display: flex; align-items: center; gap: 8px; }
.sb-confirm span { flex: 1; font-weight: 600; }
.sb-confirm-rate span { font-weight: 400; }
.sb-confirm-rate .sb-star { width: 30px; height: 30px; }
.sb-confirm-rate .sb-star .sb-svg { width: 20px; height: 20px; }
.sb-secondary, .sb-danger { border-radius: 6px; padding: 5px 12px; font: 600 13px/18px ${FONT_STACK}; cursor: pointer; }
.sb-secondary { border: 1px solid #d1d1d1; background: var(--bg); color: var(--fg); }
.sb-secondary:hover { background: var(--bg2); }
.sb-danger { border: 0; background: #c50f1f; color: #fff; }
.sb-danger:hover { background: #b10e1c; }
.sb-icon-btn[hidden] { display: none; }
.sb-endbar { padding: 12px 16px; border-top: 1px solid var(--stroke); text-align: center; background: var(--bg); }
.sb-endbar[hidden] { display: none; }
.sb-footer { text-align: center; font-size: 11px; line-height: 14px; color: var(--fg3); padding: 0 0 8px; background: var(--bg); }

.sb-form { align-self: stretch; background: var(--bg); border: 1px solid var(--stroke); border-radius: 12px; padding: 14px 16px 16px; margin: 6px 0; box-shadow: 0 2px 4px rgba(0,0,0,.06); display: flex; flex-direction: column; gap: 10px; }
.sb-form-done { padding: 10px 16px; }
.sb-form-title { font-weight: 600; font-size: 15px; }
.sb-form-done .sb-form-title { font-weight: 400; font-size: 13px; color: var(--fg2); }
.sb-form-hint { margin: -6px 0 0; color: var(--fg2); font-size: 12px; line-height: 16px; }
.sb-field { display: flex; flex-direction: column; gap: 4px; }
.sb-field label { font-size: 13px; font-weight: 600; color: var(--fg); }
.sb-req { color: #c50f1f; }
.sb-input { width: 100%; border: 1px solid #d1d1d1; border-bottom-color: #616161; border-radius: 6px; padding: 7px 10px; font: 400 14px/20px ${FONT_STACK}; color: var(--fg); background: var(--bg); outline: none; }
.sb-input:focus { border-bottom: 2px solid var(--brand); padding-bottom: 6px; }
.sb-input[aria-invalid="true"] { border-color: #c50f1f; }
.sb-error { color: #b10e1c; font-size: 12px; line-height: 16px; }
.sb-error:empty { display: none; }
.sb-primary { align-self: flex-start; border: 0; border-radius: 6px; background: var(--brand); color: #fff; padding: 7px 18px; font: 600 14px/20px ${FONT_STACK}; cursor: pointer; }
.sb-primary:hover { background: var(--brand-hover); }
.sb-primary:active { background: var(--brand-pressed); }
.sb-primary:disabled { background: #e0e0e0; color: #bdbdbd; cursor: default; }
.sb-stars { display: flex; gap: 4px; }
.sb-star { width: 36px; height: 36px; border: 0; background: transparent; color: #c8c6c4; cursor: pointer; padding: 4px; border-radius: 6px; display: grid; place-items: center; }
.sb-star .sb-svg { width: 26px; height: 26px; }
.sb-star.sb-on { color: #eaa300; }
.sb-star:hover { background: var(--bg2); }

.sb-window :focus-visible { outline: 2px solid var(--brand); outline-offset: 1px; }
.sb-header :focus-visible { outline-color: #fff; }

/*
 * Phones, portrait or landscape (or a desktop zoomed far in): the whole screen. Pinned to all four
 * edges rather than sized by 100vw, which counts a page wider than the screen and pushes the
 * window off it; a landscape phone with its keyboard open has no room for a floating window.
 */
@media (max-width: 480px), (max-height: 480px) {
  .sb-window { inset: 0; width: auto; height: auto; max-height: none; border-radius: 0; }
}
/* Fingers need 44 × 44 px (WCAG 2.5.5) where the pointer is one, or the screen a phone's. */
@media (pointer: coarse), (max-width: 480px), (max-height: 480px) {
  .sb-icon-btn { width: 44px; height: 44px; }
  .sb-header { padding-top: 8px; padding-bottom: 8px; }
  .sb-primary, .sb-retry { min-height: 44px; }
}
@media (prefers-reduced-motion: reduce) {
  .sb-window, .sb-window * { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
}
@media (forced-colors: active) {
  .sb-bubble, .sb-card, .sb-form, .sb-chip, .sb-file, .sb-avatar { border: 1px solid CanvasText; }
}
`;
