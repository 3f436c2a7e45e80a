// Sign-up, sign-in, sign-out and "who am I" for the dashboard. Input: email + password (the shared
// Credentials rules); output: the account's public fields, with the session cookie set or cleared.
import { Credentials } from '../../services/accounts/credentials';
import { signIn } from '../../services/accounts/sign-in';
import { signOut } from '../../services/accounts/sign-out';
import { signUp } from '../../services/accounts/sign-up';
import { createTRPCRouter, publicProcedure } from '../init';
import { clearSessionCookie, setSessionCookie } from '../session-cookie';

const publicAccount = (account: { id: string; email: string }) => ({ id: account.id, email: account.email });

export const authRouter = createTRPCRouter({
  signUp: publicProcedure.input(Credentials).mutation(async ({ ctx, input }) => {
    const { account, session } = await signUp(input);
    setSessionCookie(ctx, session.token);
    return publicAccount(account);
  }),

  signIn: publicProcedure.input(Credentials).mutation(async ({ ctx, input }) => {
    const { account, session } = await signIn(input);
    setSessionCookie(ctx, session.token);
    return publicAccount(account);
  }),

  signOut: publicProcedure.mutation(async ({ ctx }) => {
    await signOut(ctx.sessionToken);
    clearSessionCookie(ctx);
    return { ok: true as const };
  }),

  me: publicProcedure.query(({ ctx }) => (ctx.account ? publicAccount(ctx.account) : null)),
});
