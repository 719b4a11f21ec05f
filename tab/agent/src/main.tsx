import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { installOfflineGuard } from './host.js';

installOfflineGuard();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
