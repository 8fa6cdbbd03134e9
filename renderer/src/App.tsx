import { Center, Loader, Stack, Text } from '@mantine/core';
import { ErrorAlert } from './common/ErrorAlert';
import { BackendPage } from './features/backend/BackendPage';
import { DatasetsPage } from './features/datasets/DatasetsPage';
import { GalleryPage } from './features/gallery/GalleryPage';
import { ComparePage } from './features/history/ComparePage';
import { AppFrame } from './features/shell/AppFrame';
import { useHashRoute, type Navigate, type PageName, type Route } from './features/shell/route';
import { useAppInfo } from './features/shell/useAppInfo';
import { TrainingPage } from './features/training/TrainingPage';

function Page({ route, navigate }: { route: Route; navigate: Navigate }) {
  switch (route.page) {
    case 'datasets':
      return <DatasetsPage datasetId={route.datasetId} navigate={navigate} />;
    case 'training':
      return <TrainingPage datasetId={route.datasetId} runId={route.runId} navigate={navigate} />;
    case 'gallery':
      return <GalleryPage runId={route.runId} navigate={navigate} />;
    case 'compare':
      return <ComparePage runIds={route.runIds} navigate={navigate} />;
    case 'backend':
      return <BackendPage />;
  }
}

export function App() {
  const info = useAppInfo();
  const [route, navigate] = useHashRoute();
  const appState = info.value ? 'ready' : info.error ? 'error' : 'loading';

  const body = info.value ? (
    <Page route={route} navigate={navigate} />
  ) : info.error ? (
    <Stack maw={560}>
      <ErrorAlert error={info.error} title="The studio did not start" onRetry={info.reload} />
    </Stack>
  ) : (
    <Center h={240}>
      <Stack align="center" gap="xs">
        <Loader />
        <Text c="dimmed">Connecting to the studio…</Text>
      </Stack>
    </Center>
  );

  return (
    <AppFrame
      info={info.value}
      appState={appState}
      // Compare is reached from the run history, so the Training tab stays lit.
      active={route.page === 'compare' ? 'training' : route.page}
      onNavigate={(page: PageName) =>
        navigate(page === 'compare' ? { page: 'training' } : { page })
      }
    >
      {body}
    </AppFrame>
  );
}
