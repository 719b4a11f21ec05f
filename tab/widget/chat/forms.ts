/** The surveys the bot asks for: the pre-chat form and the post-chat satisfaction rating. */
import type { PreChatQuestion } from './activity.js';
import { h, uid } from './dom.js';
import { icon } from '../shared/icons.js';

export type PreChatAnswers = Record<string, string>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The most an answer may hold: the bot refuses more (`shortText`, bot/customer-bot/activity-schemas.ts). */
const MAX_ANSWER_CHARS = 500;

export function validateAnswer(q: PreChatQuestion, raw: string): string | null {
  const value = raw.trim();
  if (!value) return q.required ? 'This field is required.' : null;
  if (q.kind === 'email' && !EMAIL.test(value)) return 'Enter an email address like name@example.com.';
  if (q.kind === 'choice' && !q.choices?.includes(value)) return 'Choose one of the options.';
  return null;
}

/** The short text that goes with the answers, so any channel viewer shows something readable. */
export function preChatSummary(questions: PreChatQuestion[], answers: PreChatAnswers): string {
  return questions
    .filter((q) => answers[q.id])
    .map((q) => `${q.prompt.replace(/[:?]\s*$/, '')}: ${answers[q.id]}`)
    .join('\n');
}

/**
 * The pre-chat form. `known`: answers the page already gave (the name of the visitor it signed in,
 * `data-user-name`), filled in for the visitor to check rather than type again.
 */
export function preChatForm(
  questions: PreChatQuestion[],
  /** `in-chat`: the bot took the answers in the chat (or moved past them): the form is moot. */
  submitted: boolean | 'in-chat',
  onSubmit: (answers: PreChatAnswers) => void,
  known: PreChatAnswers = {},
): HTMLElement {
  const titleId = uid('sb-pc');
  if (submitted) {
    return h(
      'div',
      { class: 'sb-form sb-form-done' },
      h(
        'div',
        { class: 'sb-form-title' },
        submitted === 'in-chat' ? 'Details given in the chat — no form needed' : 'Thanks — details received',
      ),
    );
  }
  const fields = questions.map((q) => field(q, known[q.id]));
  const form = h(
    'form',
    { class: 'sb-form', attrs: { 'aria-labelledby': titleId, novalidate: '', 'data-prechat': '' } },
    h('div', { class: 'sb-form-title', attrs: { id: titleId } }, 'Your details'),
    h('p', { class: 'sb-form-hint' }, 'A few details help us connect you with the right person.'),
    ...fields.map((f) => f.node),
    h('button', { class: 'sb-primary', attrs: { type: 'submit' } }, 'Start chat'),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    let firstInvalid: HTMLElement | null = null;
    const answers: PreChatAnswers = {};
    for (const f of fields) {
      const error = validateAnswer(f.question, f.value());
      f.setError(error);
      if (error) firstInvalid ??= f.control;
      else if (f.value().trim()) answers[f.question.id] = f.value().trim();
    }
    if (firstInvalid) return firstInvalid.focus();
    form
      .querySelectorAll<HTMLInputElement | HTMLButtonElement | HTMLSelectElement>('input,select,button')
      .forEach((c) => (c.disabled = true));
    onSubmit(answers);
  });
  return form;
}

function field(q: PreChatQuestion, known: string | undefined) {
  const id = uid('sb-f');
  const errorId = `${id}-err`;
  const control: HTMLInputElement | HTMLSelectElement =
    q.kind === 'choice'
      ? h(
          'select',
          { attrs: { id } },
          h('option', { attrs: { value: '' } }, 'Select…'),
          ...(q.choices ?? []).map((c) => {
            const o = h('option', {}, c);
            o.value = c;
            return o;
          }),
        )
      : h('input', {
          attrs: {
            id,
            type: q.kind === 'email' ? 'email' : 'text',
            // A name in Hebrew or Arabic is typed right to left, whatever the page's direction.
            dir: 'auto',
            maxlength: String(MAX_ANSWER_CHARS),
            autocomplete: q.kind === 'email' ? 'email' : /name/i.test(q.id) ? 'name' : 'off',
          },
        });
  control.className = 'sb-input';
  if (known) control.value = known;
  if (q.required) control.setAttribute('aria-required', 'true');
  const error = h('div', { class: 'sb-error', attrs: { id: errorId } });
  const node = h(
    'div',
    { class: 'sb-field' },
    h(
      'label',
      { attrs: { for: id } },
      q.prompt,
      q.required ? h('span', { class: 'sb-req', attrs: { 'aria-hidden': 'true' } }, ' *') : null,
    ),
    control,
    error,
  );
  return {
    question: q,
    node,
    control,
    value: () => control.value,
    setError(message: string | null) {
      error.textContent = message ?? '';
      if (message) {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', errorId);
      } else {
        control.removeAttribute('aria-invalid');
        control.removeAttribute('aria-describedby');
      }
    },
  };
}

export function csatForm(
  submitted: boolean,
  onSubmit: (rating: number, comment: string) => void,
): HTMLElement {
  if (submitted) {
    return h(
      'div',
      { class: 'sb-form sb-form-done' },
      h('div', { class: 'sb-form-title' }, 'Thanks for your feedback!'),
    );
  }
  const titleId = uid('sb-csat');
  const picker = starPicker(titleId, () => {
    submit.disabled = false;
  });
  const commentId = uid('sb-comment');
  const comment = h('textarea', {
    class: 'sb-input',
    attrs: { id: commentId, dir: 'auto', rows: '2', maxlength: '1000' },
  });
  const submit = h('button', { class: 'sb-primary', attrs: { type: 'submit' } }, 'Send feedback');
  submit.disabled = true;
  const form = h(
    'form',
    { class: 'sb-form', attrs: { 'aria-labelledby': titleId } },
    h('div', { class: 'sb-form-title', attrs: { id: titleId } }, 'How did we do?'),
    picker.element,
    h(
      'div',
      { class: 'sb-field' },
      h('label', { attrs: { for: commentId } }, 'Anything else? (optional)'),
      comment,
    ),
    submit,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const rating = picker.value();
    if (!rating) return;
    submit.disabled = true;
    comment.disabled = true;
    onSubmit(rating, comment.value.trim());
  });
  return form;
}

export interface StarPicker {
  element: HTMLElement;
  /** The stars chosen, 0 while none is. */
  value(): number;
  reset(): void;
}

/** One to five stars as a radio group (arrow keys move and choose), labelled by `labelId`. */
export function starPicker(labelId: string, onChange: (rating: number) => void = () => {}): StarPicker {
  let rating = 0;
  const stars = [1, 2, 3, 4, 5].map((n) =>
    h(
      'button',
      {
        class: 'sb-star',
        attrs: {
          type: 'button',
          role: 'radio',
          'aria-checked': 'false',
          'aria-label': `${n} star${n > 1 ? 's' : ''}`,
          tabindex: n === 1 ? '0' : '-1',
        },
      },
      icon('star'),
    ),
  );
  const select = (n: number, focus: boolean) => {
    rating = n;
    stars.forEach((s, i) => {
      s.setAttribute('aria-checked', String(i + 1 === n));
      s.classList.toggle('sb-on', i < n);
      s.tabIndex = i + 1 === Math.max(n, 1) ? 0 : -1;
    });
    if (focus) stars[n - 1]?.focus();
    if (n) onChange(n);
  };
  stars.forEach((s, i) => {
    s.addEventListener('click', () => select(i + 1, false));
    s.addEventListener('keydown', (ev) => {
      const delta =
        ev.key === 'ArrowRight' || ev.key === 'ArrowUp'
          ? 1
          : ev.key === 'ArrowLeft' || ev.key === 'ArrowDown'
            ? -1
            : 0;
      if (!delta) return;
      ev.preventDefault();
      select(Math.min(5, Math.max(1, (rating || i + 1) + delta)), true);
    });
  });
  return {
    element: h(
      'div',
      { class: 'sb-stars', attrs: { role: 'radiogroup', 'aria-labelledby': labelId } },
      ...stars,
    ),
    value: () => rating,
    reset: () => select(0, false),
  };
}
