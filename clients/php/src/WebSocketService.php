<?php

declare(strict_types=1);

namespace Herald;

/**
 * The seed's WebSocketService, backed by a Herald server: the same method names, argument order
 * and return values, so application code written for the in-process module runs unchanged.
 *
 * new WebSocketService() reads HERALD_URL (default http://127.0.0.1:5200), HERALD_API_KEY and
 * HERALD_JWT_SECRET from the environment; arguments given to the constructor win. Failures throw
 * Herald\Exception\HeraldException subclasses (one per error status; TimeoutException and
 * ConnectionException when no answer came).
 *
 * Counts are what Herald reports: users (or, for channels, connections) the message was queued to
 * on the node that took the call; in cluster mode other nodes deliver too.
 */
class WebSocketService
{
    public const DEFAULT_URL = 'http://127.0.0.1:5200';

    private readonly AdminClient $api;
    private readonly ?string $jwtSecret;

    /**
     * @param array $options timeout (s, 10), connect_timeout (s, 5), max_attempts (3),
     *                       retry_backoff_ms (100), idempotency_keys (true)
     */
    public function __construct(?string $url = null, ?string $apiKey = null, ?string $jwtSecret = null, array $options = [])
    {
        $url ??= self::env('HERALD_URL') ?? self::DEFAULT_URL;
        $apiKey ??= self::env('HERALD_API_KEY') ?? '';
        $this->jwtSecret = $jwtSecret ?? self::env('HERALD_JWT_SECRET');
        $this->api = new AdminClient(
            $url,
            $apiKey,
            (float) ($options['timeout'] ?? 10.0),
            (float) ($options['connect_timeout'] ?? 5.0),
            (int) ($options['max_attempts'] ?? 3),
            (int) ($options['retry_backoff_ms'] ?? 100),
            (bool) ($options['idempotency_keys'] ?? true),
        );
    }

    /**
     * Sends $data to every connection of the user. $data is the message as the seed wrote it,
     * ['type' => T, 'data' => D]; without 'data' the other keys are the data; without 'type' the
     * type is 'message'. Returns true when the user had a connection to receive it.
     */
    public function sendToUser(int|string $userId, array $data): bool
    {
        [$type, $payload] = self::message($data);
        $r = $this->api->post('send-to-user', ['user_id' => $userId, 'type' => $type, 'data' => $payload]);
        return ($r['connections'] ?? 0) > 0;
    }

    /** Sends $data (as in sendToUser) to each of the users; returns how many of them were reached. */
    public function sendToUsers(array $userIds, array $data): int
    {
        [$type, $payload] = self::message($data);
        $r = $this->api->post('send-to-users', ['user_ids' => array_values($userIds), 'type' => $type, 'data' => $payload]);
        return (int) ($r['users'] ?? 0);
    }

    /** Sends $data (as in sendToUser) to every online user but $excludeUserId; returns users reached. */
    public function broadcast(array $data, int|string|null $excludeUserId = null): int
    {
        [$type, $payload] = self::message($data);
        $body = ['type' => $type, 'data' => $payload];
        if ($excludeUserId !== null) {
            $body['exclude_user_id'] = $excludeUserId;
        }
        return (int) ($this->api->post('broadcast', $body)['users'] ?? 0);
    }

    /** Subscribers get {"type":$type,"channel":$channel,"data":$data}; returns connections reached. */
    public function sendToChannel(string $channel, string $type, mixed $data): int
    {
        $r = $this->api->post('send-to-channel', ['channel' => $channel, 'type' => $type, 'data' => $data]);
        return (int) ($r['connections'] ?? 0);
    }

    public function getOnlineUserCount(): int
    {
        return (int) ($this->api->get('online-count')['online_count'] ?? 0);
    }

    public function isUserOnline(int|string $userId): bool
    {
        return (bool) ($this->api->post('check-online', ['user_id' => $userId])['is_online'] ?? false);
    }

    /** @return array<int|string> online user ids, numeric ones as ints */
    public function getOnlineUsers(): array
    {
        return $this->api->get('online-users')['user_ids'] ?? [];
    }

    /**
     * Every online user gets notification {title, message, type, timestamp, extra_data?};
     * an empty $extraData is left out. Returns users reached.
     */
    public function sendSystemNotification(string $title, string $message, string $type = 'info', array $extraData = []): int
    {
        return (int) ($this->api->post('send-notification', self::notification($title, $message, $type, $extraData))['users'] ?? 0);
    }

    /** The same notification to these users only; returns users reached. */
    public function sendNotificationToUsers(array $userIds, string $title, string $message, string $type = 'info', array $extraData = []): int
    {
        $body = ['user_ids' => array_values($userIds)] + self::notification($title, $message, $type, $extraData);
        return (int) ($this->api->post('send-notification-to-users', $body)['users'] ?? 0);
    }

    /** The users get data_update {resource_type, action, data, timestamp}; returns users reached. */
    public function pushDataUpdate(array $userIds, string $resourceType, string $action, mixed $data): int
    {
        $r = $this->api->post('push-data-update', ['user_ids' => array_values($userIds),
            'resource_type' => $resourceType, 'action' => $action, 'data' => $data]);
        return (int) ($r['users'] ?? 0);
    }

    /** The channel's subscribers get data_update; returns connections reached. */
    public function pushDataUpdateToChannel(string $channel, string $resourceType, string $action, mixed $data): int
    {
        $r = $this->api->post('push-data-update-channel', ['channel' => $channel,
            'resource_type' => $resourceType, 'action' => $action, 'data' => $data]);
        return (int) ($r['connections'] ?? 0);
    }

    /** Closes every connection of the user with 4002 (not to reconnect); returns how many closed. */
    public function disconnectUser(int|string $userId): int
    {
        return (int) ($this->api->post('disconnect-user', ['user_id' => $userId])['connections'] ?? 0);
    }

    /**
     * Several calls in one POST /admin/websocket/batch: $requests is a list of
     * ['path' => 'send-to-user', 'body' => [...]]. Returns one envelope per request, in order
     * (['code' => 200, 'message' => 'success', 'data' => …] or the item's error).
     */
    public function batch(array $requests): array
    {
        return $this->api->post('batch', ['requests' => array_values($requests)])['responses'] ?? [];
    }

    /** The token helper, signed with HERALD_JWT_SECRET (or the constructor's $jwtSecret). */
    public function tokens(): Tokens
    {
        if ($this->jwtSecret === null || $this->jwtSecret === '') {
            throw new \LogicException('no JWT secret: set HERALD_JWT_SECRET or pass $jwtSecret to the constructor');
        }
        return new Tokens($this->jwtSecret);
    }

    /** A connection token for the user (see Tokens::userToken). */
    public function userToken(int|string $userId, int $ttlSeconds = 3600, array $channels = []): string
    {
        return $this->tokens()->userToken($userId, $ttlSeconds, $channels);
    }

    /** A token that lets the user subscribe to exactly this channel (see Tokens::subscriptionToken). */
    public function subscriptionToken(int|string $userId, string $channel, int $ttlSeconds = 300): string
    {
        return $this->tokens()->subscriptionToken($userId, $channel, $ttlSeconds);
    }

    /** @return array{string, mixed} */
    private static function message(array $data): array
    {
        $type = $data['type'] ?? 'message';
        if (!is_string($type) || $type === '') {
            throw new \InvalidArgumentException('message type must be a non-empty string: ' . json_encode($type));
        }
        if (array_key_exists('data', $data)) {
            return [$type, $data['data']];
        }
        unset($data['type']);
        return [$type, (object) $data];
    }

    private static function notification(string $title, string $message, string $type, array $extraData): array
    {
        $body = ['title' => $title, 'message' => $message, 'type' => $type];
        if ($extraData !== []) {
            $body['extra_data'] = $extraData;
        }
        return $body;
    }

    private static function env(string $name): ?string
    {
        $value = $_ENV[$name] ?? $_SERVER[$name] ?? getenv($name);
        return is_string($value) && $value !== '' ? $value : null;
    }
}
