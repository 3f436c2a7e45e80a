// The bottom of the product and dashboard pages: what this is and where the API reference lives.
export function SiteFooter({ wide = false }: { wide?: boolean }) {
  return (
    <footer className="border-t border-zinc-200 dark:border-zinc-800">
      <div
        className={`mx-auto flex ${wide ? 'max-w-7xl' : 'max-w-6xl'} flex-col gap-2 px-4 py-8 text-sm text-zinc-500 sm:flex-row sm:items-center sm:justify-between sm:px-6 dark:text-zinc-400`}
      >
        <p>Reframe · self-hosted video reframing · Apache-2.0</p>
        <a
          href="/docs"
          className="rounded underline-offset-4 hover:text-zinc-900 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:hover:text-zinc-100"
        >
          API reference
        </a>
      </div>
    </footer>
  );
}
