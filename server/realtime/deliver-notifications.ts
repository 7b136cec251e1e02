import { userRoomName } from '../../domain/realtime-events';
import type { NotificationDelivery } from '../use-cases/store-notifications';
import type { RealtimeServer } from './realtime-server';

/**
 * Sends each new notification to its user's room: every tab the user has open, on any instance
 * (the Redis adapter carries room broadcasts). A user with no socket open reads it from
 * `notification:list` at their next connect.
 */
export function deliverNotifications(
  io: RealtimeServer,
  deliveries: readonly NotificationDelivery[],
): void {
  for (const { userId, notification } of deliveries) {
    io.to(userRoomName(userId)).emit('notification:created', notification);
  }
}
