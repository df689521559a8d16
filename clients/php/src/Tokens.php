<?php

declare(strict_types=1);

namespace Herald;

/**
 * Mints the HS256 JWTs Herald accepts, signed with the server's HERALD_JWT_SECRET: connection
 * tokens (sub, iat, exp, optional channels globs) and subscription tokens (sub, channel, iat, exp)
 * that let one user subscribe to one channel, private ones included.
 */
final class Tokens
{
    public function __construct(private readonly string $secret)
    {
        // Herald accepts (and warns about) secrets shorter than the 32 bytes RFC 7518 asks for;
        // HMAC pads short keys the same way on both sides, so tokens are minted with them too.
        if ($secret === '') {
            throw new \InvalidArgumentException('jwt secret must not be empty (HERALD_JWT_SECRET)');
        }
    }

    /** A connection token: ws://host:5200/ws?user_id={id}&token={this}. */
    public function userToken(int|string $userId, int $ttlSeconds = 3600, array $channels = []): string
    {
        $claims = $this->claims($userId, $ttlSeconds);
        if ($channels !== []) {
            $claims['channels'] = array_values($channels);
        }
        return $this->sign($claims);
    }

    /** A subscription token: $userId may subscribe to exactly $channel (sent as subscribe's token). */
    public function subscriptionToken(int|string $userId, string $channel, int $ttlSeconds = 300): string
    {
        if ($channel === '') {
            throw new \InvalidArgumentException('channel must not be empty');
        }
        $claims = $this->claims($userId, $ttlSeconds);
        $claims['channel'] = $channel;
        return $this->sign($claims);
    }

    /** Signs any claims (issuer, audience, … when Herald is configured to check them). */
    public function sign(array $claims): string
    {
        $input = self::b64('{"alg":"HS256","typ":"JWT"}') . '.'
            . self::b64(json_encode($claims, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR));
        return $input . '.' . self::b64(hash_hmac('sha256', $input, $this->secret, true));
    }

    private function claims(int|string $userId, int $ttlSeconds): array
    {
        if ($userId === '' || (is_int($userId) && $userId < 0)) {
            throw new \InvalidArgumentException("user id must be a non-negative integer or a non-empty string: \"$userId\"");
        }
        if ($ttlSeconds <= 0) {
            throw new \InvalidArgumentException("ttl must be positive: $ttlSeconds");
        }
        $now = time();
        return ['sub' => (string) $userId, 'iat' => $now, 'exp' => $now + $ttlSeconds];
    }

    private static function b64(string $bytes): string
    {
        return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
    }
}
