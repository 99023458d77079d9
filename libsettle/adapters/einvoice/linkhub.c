/* linkhub.c — the LinkHub token signature (see linkhub.h). */
#include "adapters/einvoice/linkhub.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

int linkhub_signature(const char *secret_b64, const char *body, const char *date, const char *uri,
		      char out[LINKHUB_SIG_LEN], struct settle_err *err)
{
	unsigned char key[128], md5[EVP_MAX_MD_SIZE], mac[EVP_MAX_MD_SIZE];
	char md5_b64[32], target[1024];
	unsigned int md5_len = 0, mac_len = 0;
	size_t slen = strlen(secret_b64);
	int klen, n;

	out[0] = '\0';
	if (slen == 0 || slen % 4 || slen > 160)
		return err_set(err, SETTLE_EX_CONFIG, "the LinkHub secret key is not base64");
	klen = EVP_DecodeBlock(key, (const unsigned char *)secret_b64, (int)slen);
	if (klen <= 0)
		return err_set(err, SETTLE_EX_CONFIG, "the LinkHub secret key is not base64");
	klen -= (secret_b64[slen - 1] == '=') + (secret_b64[slen - 2] == '=');
	if (!EVP_Digest(body, strlen(body), md5, &md5_len, EVP_md5(), NULL))
		return err_set(err, SETTLE_EX_SOFTWARE, "MD5 failed");
	EVP_EncodeBlock((unsigned char *)md5_b64, md5, (int)md5_len);
	n = snprintf(target, sizeof target, "POST\n%s\n%s\n" LINKHUB_API_VERSION "\n%s", md5_b64, date, uri);
	if (n < 0 || (size_t)n >= sizeof target)
		return err_set(err, SETTLE_EX_SOFTWARE, "LinkHub signature target too long");
	if (!HMAC(EVP_sha1(), key, klen, (const unsigned char *)target, (size_t)n, mac, &mac_len))
		return err_set(err, SETTLE_EX_SOFTWARE, "HMAC failed");
	EVP_EncodeBlock((unsigned char *)out, mac, (int)mac_len);
	OPENSSL_cleanse(key, sizeof key);
	return 0;
}
