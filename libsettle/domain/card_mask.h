/*
 * card_mask.h — which card numbers settle may keep (issue 14). PCI DSS
 * lets a merchant store a primary account number only truncated: at most
 * the first eight and the last four digits in clear. The PGs already
 * answer that way (Toss card.number "43301234****123*", NicePay
 * card.cardNum "536112******1234"); these checks are the guard for the day
 * one does not, so a full number is never written or logged.
 */
#ifndef SETTLE_DOMAIN_CARD_MASK_H
#define SETTLE_DOMAIN_CARD_MASK_H

/* 1 when s may be stored: 13–19 positions of digits and mask characters
 * ('*', 'x', 'X', '#', with '-' or ' ' between groups), every digit in the
 * first eight or the last four positions, at least four masked in a 15–16
 * position number, and no run of 13 or more digits anywhere. 0 otherwise
 * (also for NULL, "" and anything longer than 32 bytes). */
int card_number_keepable(const char *s);

/* 1 when s is an issuer code as the PGs send them: 1–16 of [A-Za-z0-9]. */
int card_issuer_keepable(const char *s);

#endif
