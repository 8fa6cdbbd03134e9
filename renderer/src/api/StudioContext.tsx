import { createContext, useContext, type ReactNode } from 'react';
import type { StudioApi } from '../../../preload/contract';

const StudioContext = createContext<StudioApi | null>(null);

export function StudioProvider({ api, children }: { api: StudioApi; children: ReactNode }) {
  return <StudioContext.Provider value={api}>{children}</StudioContext.Provider>;
}

export function useStudio(): StudioApi {
  const api = useContext(StudioContext);
  if (!api) throw new Error('useStudio must be used inside <StudioProvider>');
  return api;
}
