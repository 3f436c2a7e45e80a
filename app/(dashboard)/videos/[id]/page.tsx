// /videos/{id} — one video: players, timeline, analyses, reframe, downloads and the crop path
// editor. Signed-out visitors are sent to /sign-in; the workspace itself is fed over tRPC.
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SESSION_COOKIE } from '../../../../server/services/accounts/create-session';
import { getSessionAccount } from '../../../../server/services/accounts/get-session-account';
import { DashboardShell } from '../../../_components/dashboard-shell';
import { VideoWorkspace } from '../../../_components/video-workspace';

export const metadata: Metadata = { title: 'Video — Reframe' };

export default async function VideoPage({ params }: { params: Promise<{ id: string }> }) {
  const account = await getSessionAccount((await cookies()).get(SESSION_COOKIE)?.value);
  if (!account) redirect('/sign-in');
  const { id } = await params;
  return (
    <DashboardShell email={account.email} current="videos" wide>
      <VideoWorkspace videoId={id} />
    </DashboardShell>
  );
}
