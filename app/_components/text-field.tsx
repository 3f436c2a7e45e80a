// A labelled text input with an optional hint and an inline error wired up for screen readers
// (aria-invalid, aria-describedby). `inputClasses` styles the few inputs that have no visible label.
import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

export function inputClasses(invalid = false, extra = ''): string {
  const ring = invalid
    ? 'border-red-500 focus:outline-red-500 dark:border-red-500'
    : 'border-zinc-300 focus:border-indigo-500 focus:outline-indigo-500 dark:border-zinc-700 dark:focus:border-indigo-400';
  return (
    'block h-10 w-full rounded-lg border bg-white px-3 text-sm text-zinc-900 shadow-sm placeholder:text-zinc-400 ' +
    'focus:outline-2 focus:-outline-offset-1 dark:bg-zinc-950 dark:text-zinc-100 dark:placeholder:text-zinc-500 ' +
    `${ring} ${extra}`
  ).trim();
}

interface TextFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
}

export function TextField({ label, error, hint, id, className, ...input }: TextFieldProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const noteId = `${inputId}-note`;
  const note = error ?? hint;
  return (
    <div className={className}>
      <label htmlFor={inputId} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <input
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? noteId : undefined}
        className={inputClasses(Boolean(error), 'mt-1.5')}
        {...input}
      />
      {note ? (
        <p id={noteId} className={`mt-1.5 text-sm ${error ? 'text-red-600 dark:text-red-400' : 'text-zinc-500 dark:text-zinc-400'}`}>
          {note}
        </p>
      ) : null}
    </div>
  );
}
