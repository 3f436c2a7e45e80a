// The sign-up / sign-in form's rules, shared by tRPC and the pages.
import { z } from 'zod';

export const Credentials = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'Enter a valid email address.' }))
    .pipe(z.string().max(254)),
  password: z.string().min(8, 'Use at least 8 characters.').max(200, 'Use at most 200 characters.'),
});
export type Credentials = z.infer<typeof Credentials>;
