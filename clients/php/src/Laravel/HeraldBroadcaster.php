<?php

declare(strict_types=1);

namespace Herald\Laravel;

use Herald\Exception\HeraldException;
use Herald\WebSocketService;
use Illuminate\Broadcasting\BroadcastException;
use Illuminate\Broadcasting\Broadcasters\Broadcaster;
use Illuminate\Broadcasting\Broadcasters\UsePusherChannelConventions;
use Illuminate\Support\Arr;
use Symfony\Component\HttpKernel\Exception\AccessDeniedHttpException;

/**
 * The broadcasting driver 'herald'. broadcast(new OrderShipped($order)) pushes the event to each
 * of its channels: subscribers get {"type": <event name>, "channel": <channel>, "data": <payload>}.
 *
 * /broadcasting/auth (Broadcast::routes()) runs the channel's callback from routes/channels.php
 * and answers {"token": <subscription token>}: a short-lived JWT that lets this user subscribe to
 * exactly that channel; the browser sends it as subscribe's "token" (the JS client's
 * getSubscriptionToken callback). Channel names are Laravel's: private-orders.1, presence-room.5.
 */
class HeraldBroadcaster extends Broadcaster
{
    use UsePusherChannelConventions;

    /** Request attribute set by AuthProxyController: only the yes/no matters, mint no token. */
    public const PROXY_CHECK = 'herald.proxy_check';

    public function __construct(private readonly WebSocketService $herald, private readonly int $tokenTtl = 300)
    {
    }

    public function auth($request)
    {
        $channel = (string) $request->input('channel_name', $request->input('channel', ''));
        $normalized = $this->normalizeChannelName($channel);
        if ($channel === '' || ($this->isGuardedChannel($channel) && !$this->retrieveUser($request, $normalized))) {
            throw new AccessDeniedHttpException();
        }
        return parent::verifyUserCanAccessChannel($request, $normalized);
    }

    public function validAuthenticationResponse($request, $result)
    {
        if ($request->attributes->get(self::PROXY_CHECK)) {
            return true;
        }
        $channel = (string) $request->input('channel_name', $request->input('channel', ''));
        $user = $this->retrieveUser($request, $this->normalizeChannelName($channel));
        if ($user === null) {
            throw new AccessDeniedHttpException();
        }
        $id = method_exists($user, 'getAuthIdentifierForBroadcasting')
            ? $user->getAuthIdentifierForBroadcasting()
            : $user->getAuthIdentifier();
        $answer = [
            'channel' => $channel,
            'token' => $this->herald->subscriptionToken($id, $channel, $this->tokenTtl),
        ];
        if (is_array($result)) {
            $answer['channel_data'] = ['user_id' => $id, 'user_info' => $result];
        }
        return $answer;
    }

    public function broadcast(array $channels, $event, array $payload = [])
    {
        Arr::forget($payload, 'socket'); // Herald has no socket ids to exclude (toOthers)
        foreach ($this->formatChannels($channels) as $channel) {
            try {
                $this->herald->sendToChannel($channel, (string) $event, $payload);
            } catch (HeraldException $e) {
                throw new BroadcastException("Herald error broadcasting $event to $channel: " . $e->getMessage(), 0, $e);
            }
        }
    }
}
