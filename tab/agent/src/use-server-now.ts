import { useEffect, useState } from 'react';
import { serverClock } from './server-clock.js';

/** The server's time (server-clock.ts), moving on every second while the component is shown. */
export function useServerNow(): number {
  const [now, setNow] = useState(() => serverClock.now());
  useEffect(() => {
    const t = setInterval(() => setNow(serverClock.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}
