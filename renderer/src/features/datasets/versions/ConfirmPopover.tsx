import { Button, Group, Popover, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A version row's action that asks first: a small button opening a popover with what the action
 * will do, Cancel and a confirm button. The caller keeps `open`, since what the popover shows
 * may be fetched only while it is open (Restore's preview of the changes).
 */
export function ConfirmPopover({
  open,
  onOpenChange,
  width,
  trigger,
  confirm,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  width: number;
  trigger: { label: string; testId: string; variant: 'light' | 'subtle'; disabled: boolean };
  confirm: {
    label: string;
    testId: string;
    loading: boolean;
    disabled?: boolean;
    onClick: () => void;
  };
  children: ReactNode;
}) {
  return (
    <Popover
      opened={open}
      onChange={onOpenChange}
      position="left"
      withArrow
      shadow="md"
      width={width}
    >
      <Popover.Target>
        <Button
          size="compact-xs"
          variant={trigger.variant}
          data-testid={trigger.testId}
          disabled={trigger.disabled}
          onClick={() => onOpenChange(!open)}
        >
          {trigger.label}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          {children}
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button
              size="xs"
              data-testid={confirm.testId}
              loading={confirm.loading}
              disabled={confirm.disabled}
              onClick={confirm.onClick}
            >
              {confirm.label}
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
