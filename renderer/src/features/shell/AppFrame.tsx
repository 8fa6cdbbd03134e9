import { AppShell, Badge, Group, NavLink, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AppInfo } from '../../../../preload/contract';
import type { PageName } from './route';
import { useHeaderBackend } from './useAppInfo';

const NAV: { page: PageName; label: string; hint: string }[] = [
  { page: 'datasets', label: 'Datasets', hint: 'Import and inspect image folders' },
  { page: 'training', label: 'Training', hint: 'Train a model and watch it learn' },
  { page: 'gallery', label: 'Gallery', hint: 'Browse and export samples' },
  { page: 'backend', label: 'Backend', hint: 'Which ML backend runs, and why' },
];

function BackendBadge({ info, onOpen }: { info: AppInfo | null; onOpen: () => void }) {
  const { report, loading } = useHeaderBackend(info?.backend ?? null, info !== null);
  const label = report ? report.active : loading ? 'starting…' : 'unknown';
  const fast = report?.active === 'tensorflow-gpu' || report?.active === 'tensorflow';
  return (
    <Tooltip label={report?.advice || 'The backend the ML worker trains on'} multiline w={320}>
      <Badge
        data-testid="header-backend"
        variant="light"
        color={fast ? 'teal' : report ? 'yellow' : 'gray'}
        size="lg"
        style={{ cursor: 'pointer', textTransform: 'none' }}
        onClick={onOpen}
      >
        Backend: {label}
      </Badge>
    </Tooltip>
  );
}

export function AppFrame({
  info,
  appState,
  active,
  onNavigate,
  children,
}: {
  info: AppInfo | null;
  appState: 'loading' | 'ready' | 'error';
  active: PageName;
  onNavigate: (page: PageName) => void;
  children: ReactNode;
}) {
  return (
    <AppShell
      data-app-state={appState}
      header={{ height: 52 }}
      navbar={{ width: 210, breakpoint: 0 }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Title order={4}>Generative Studio</Title>
            {info && (
              <Text size="xs" c="dimmed">
                v{info.version}
              </Text>
            )}
          </Group>
          <BackendBadge info={info} onOpen={() => onNavigate('backend')} />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        {NAV.map((item) => (
          <NavLink
            key={item.page}
            component="button"
            data-testid={`nav-${item.page}`}
            label={item.label}
            description={item.hint}
            active={active === item.page}
            onClick={() => onNavigate(item.page)}
            style={{ borderRadius: 'var(--mantine-radius-sm)' }}
          />
        ))}
        {info && (
          <AppShell.Section mt="auto" px="xs" pb="xs">
            <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
              Data: {info.dataDir}
            </Text>
          </AppShell.Section>
        )}
      </AppShell.Navbar>
      <AppShell.Main bg="var(--mantine-color-gray-0)">{children}</AppShell.Main>
    </AppShell>
  );
}
