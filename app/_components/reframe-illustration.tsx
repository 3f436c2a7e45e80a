// The product page's picture of what the service does: a landscape shot with two people, the 9:16
// window that follows whoever speaks, and the vertical clip that comes out. Decorative only.
export function ReframeIllustration() {
  return (
    <svg
      viewBox="0 0 660 340"
      className="h-auto w-full"
      role="img"
      aria-label="A landscape video with a vertical crop window following the speaker, and the vertical clip it produces"
    >
      <defs>
        <linearGradient id="scene" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#27272a" />
          <stop offset="1" stopColor="#18181b" />
        </linearGradient>
        <linearGradient id="wall" x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stopColor="#3f3f46" />
          <stop offset="1" stopColor="#27272a" />
        </linearGradient>
        <clipPath id="landscape">
          <rect x="0" y="46" width="440" height="248" rx="14" />
        </clipPath>
        <clipPath id="phone-screen">
          <rect x="507" y="34" width="132" height="234" rx="14" />
        </clipPath>
      </defs>

      <g clipPath="url(#landscape)">
        <rect x="0" y="46" width="440" height="248" fill="url(#scene)" />
        <rect x="0" y="46" width="440" height="160" fill="url(#wall)" />
        <rect x="0" y="250" width="440" height="44" fill="#18181b" />
        <circle cx="140" cy="150" r="30" fill="#fbbf24" />
        <path d="M80 294v-50c0-30 26-52 60-52s60 22 60 52v50Z" fill="#6366f1" />
        <circle cx="320" cy="158" r="28" fill="#a1a1aa" />
        <path d="M264 294v-46c0-28 25-48 56-48s56 20 56 48v46Z" fill="#52525b" />
        <g fill="none" stroke="#fbbf24" strokeWidth="3" strokeLinecap="round" opacity="0.9">
          <path d="M180 138a18 18 0 0 1 0 24" />
          <path d="M190 130a30 30 0 0 1 0 40" />
        </g>
      </g>
      <rect x="70" y="46" width="140" height="248" fill="#6366f1" fillOpacity="0.14" stroke="#818cf8" strokeWidth="3" />
      <g fill="#818cf8">
        <rect x="64" y="40" width="12" height="12" rx="2" />
        <rect x="204" y="40" width="12" height="12" rx="2" />
        <rect x="64" y="288" width="12" height="12" rx="2" />
        <rect x="204" y="288" width="12" height="12" rx="2" />
      </g>
      <text x="140" y="28" textAnchor="middle" className="fill-zinc-500 text-[13px] font-medium dark:fill-zinc-400">
        9:16 window follows the speaker
      </text>

      <path d="M448 170h40" stroke="#818cf8" strokeWidth="3" strokeDasharray="6 6" strokeLinecap="round" />
      <path d="m484 162 10 8-10 8" fill="none" stroke="#818cf8" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />

      <rect
        x="500"
        y="26"
        width="146"
        height="250"
        rx="22"
        className="fill-zinc-900 stroke-zinc-300 dark:fill-zinc-800 dark:stroke-zinc-600"
        strokeWidth="2"
      />
      <g clipPath="url(#phone-screen)">
        <rect x="507" y="34" width="132" height="234" fill="url(#wall)" />
        <circle cx="573" cy="138" r="40" fill="#fbbf24" />
        <path d="M490 268v-44c0-38 37-66 83-66s83 28 83 66v44Z" fill="#6366f1" />
        <rect x="521" y="236" width="104" height="18" rx="5" fill="#09090b" fillOpacity="0.7" />
        <rect x="529" y="243" width="70" height="4" rx="2" fill="#fafafa" />
      </g>
      <text x="573" y="306" textAnchor="middle" className="fill-zinc-500 text-[13px] font-medium dark:fill-zinc-400">
        1080×1920 MP4
      </text>
    </svg>
  );
}
