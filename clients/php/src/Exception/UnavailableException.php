<?php

declare(strict_types=1);

namespace Herald\Exception;

/** 503: in cluster mode the broker did not take the message, so other nodes did not get it. */
class UnavailableException extends HeraldException
{
}
