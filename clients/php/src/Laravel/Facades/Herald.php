<?php

declare(strict_types=1);

namespace Herald\Laravel\Facades;

use Herald\WebSocketService;
use Illuminate\Support\Facades\Facade;

/**
 * Herald::sendToUser($userId, $data), Herald::pushDataUpdate(...), … on the shared WebSocketService.
 *
 * @method static bool sendToUser(int|string $userId, array $data)
 * @method static int sendToUsers(array $userIds, array $data)
 * @method static int broadcast(array $data, int|string|null $excludeUserId = null)
 * @method static int sendToChannel(string $channel, string $type, mixed $data)
 * @method static int getOnlineUserCount()
 * @method static bool isUserOnline(int|string $userId)
 * @method static array getOnlineUsers()
 * @method static int sendSystemNotification(string $title, string $message, string $type = 'info', array $extraData = [])
 * @method static int sendNotificationToUsers(array $userIds, string $title, string $message, string $type = 'info', array $extraData = [])
 * @method static int pushDataUpdate(array $userIds, string $resourceType, string $action, mixed $data)
 * @method static int pushDataUpdateToChannel(string $channel, string $resourceType, string $action, mixed $data)
 * @method static int disconnectUser(int|string $userId)
 * @method static array batch(array $requests)
 * @method static string userToken(int|string $userId, int $ttlSeconds = 3600, array $channels = [])
 * @method static string subscriptionToken(int|string $userId, string $channel, int $ttlSeconds = 300)
 *
 * @see WebSocketService
 */
class Herald extends Facade
{
    protected static function getFacadeAccessor(): string
    {
        return WebSocketService::class;
    }
}
