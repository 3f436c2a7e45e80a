'use client';
// Ends the browser session (the server clears the cookie) and goes to the sign-in page.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { Button } from './button';
import { useTRPC } from './trpc-provider';

export function SignOutButton() {
  const trpc = useTRPC();
  const router = useRouter();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: () => {
        router.replace('/sign-in');
        router.refresh();
      },
    }),
  );
  const busy = signOut.isPending || signOut.isSuccess;
  return (
    <Button variant="secondary" size="sm" onClick={() => signOut.mutate()} disabled={busy}>
      {busy ? 'Signing out…' : 'Sign out'}
    </Button>
  );
}
