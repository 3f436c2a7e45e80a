// The root layout: fonts, colours (light and dark), and the page frame shared by every page.
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { TrpcProvider } from './_components/trpc-provider';
import './globals.css';

export const metadata: Metadata = {
  title: 'Reframe — vertical clips that follow the speaker',
  description: 'Self-hostable video reframing: landscape talking-head video to 9:16 clips.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <TrpcProvider>{children}</TrpcProvider>
      </body>
    </html>
  );
}
