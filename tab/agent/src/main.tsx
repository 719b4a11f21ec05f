import { createRoot } from 'react-dom/client';
import { prefetchAgents } from './api.js';
import { App } from './App.js';
import { installOfflineGuard, mayBeHosted } from './host.js';
import { devToken } from './session-store.js';

// Where the first-render figure's steps start (test/e2e-tab/support/first-render.ts).
performance.mark('switchboard:main');
installOfflineGuard();
if (!mayBeHosted() && !devToken.get()) prefetchAgents();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
