/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the vnic KUnit suites; see vnic_test_util.c. */
#ifndef _VNIC_TEST_UTIL_H_
#define _VNIC_TEST_UTIL_H_

#include <kunit/test.h>
#include <linux/types.h>

#include "../driver/card/vnic_card_priv.h"

struct device;
struct iphdr;
struct ipv6hdr;

void *vnic_kunit_dma_alloc(struct kunit *test, struct device *dev, size_t size,
			   dma_addr_t *dma);
void vnic_kunit_card_destroy(void *card);

/*
 * VNIC_T_SUITE(id, name, init, case...) - the suite @name of the cases
 * given (KUNIT_CASE() and KUNIT_CASE_PARAM() entries), each run after
 * @init (NULL for none): what every suite of vnic_test.ko declares.
 */
#define VNIC_T_SUITE(_id, _name, _init, ...)				\
	static struct kunit_case _id##_cases[] = { __VA_ARGS__, {} };	\
	static struct kunit_suite _id##_suite = {			\
		.name = _name,						\
		.init = _init,						\
		.test_cases = _id##_cases,				\
	};								\
	kunit_test_suite(_id##_suite)

/* ---- the card fixture ---- */

#define VNIC_T_RING	64		/* entries allocated per ring */
#define VNIC_T_BUF	2048		/* bytes per buffer slot */
#define VNIC_T_WAIT_MS	2000		/* bound on any wait for the card */
#define VNIC_T_ETYPE	0x88b5		/* local experimental ethertype */
#define VNIC_T_QUEUES	4		/* RX queues of port 1 in vnic_t.rxq */
#define VNIC_T_PAYLOAD	101		/* vnic_t_build_l4(): odd, to test the trailing byte */

struct vnic_t_txq {
	unsigned int port;
	unsigned int q;
	bool xdpq;	/* q is a TX-only queue (VNIC_REG_XDPQ) */
	u32 size;
	struct vnic_tx_desc *txd;
	dma_addr_t txd_dma;
	struct vnic_tx_cmpl *txc;
	dma_addr_t txc_dma;
	u8 *buf;
	dma_addr_t buf_dma;
	u32 tail;
	u32 cidx;
	bool phase;
};

struct vnic_t_rxq {
	unsigned int port;
	unsigned int q;
	u32 size;
	u32 buf_size;	/* Q_RX_BUF_SIZE to program; 0: VNIC_T_BUF */
	struct vnic_rx_desc *rbr;
	dma_addr_t rbr_dma;
	struct vnic_rx_cmpl *rcq;
	dma_addr_t rcq_dma;
	u8 *buf;
	dma_addr_t buf_dma;
	u32 tail;
	u32 cidx;
	bool phase;
};

struct vnic_t {
	struct kunit *test;
	struct device *dev;
	struct vnic_card *card;
	struct vnic_bar *bar[VNIC_CARD_PORTS];
	struct vnic_t_txq tx[VNIC_CARD_PORTS];	/* queue 0 of each port */
	struct vnic_t_rxq rx[VNIC_CARD_PORTS];
	struct vnic_t_rxq rxq[VNIC_T_QUEUES];	/* port 1's, by vnic_t_rxq_start() */
};

struct vnic_t_csum {
	const char *desc;
	bool v6;
	u8 proto;
	bool offload;		/* the card fills in the checksum */
	bool corrupt;		/* a payload byte changes after summing */
	bool zero;		/* UDP checksum 0: none computed */
	bool frag;		/* IPv4 fragment */
	bool not_ip;
	bool bad_seed;		/* the driver seeded a wrong pseudo-header sum */
	u8 verdict;
};

struct vnic_t_irq {
	atomic_t count;
	unsigned int irq;
	struct vnic_bar *bar;
	unsigned int vec;
	bool mask_in_handler;
};

struct vnic_card *vnic_t_card(struct kunit *test, unsigned int num_queues, u32 speed);
struct vnic_card *vnic_t_card_cfg(struct kunit *test, struct vnic_card_config *cfg);
struct vnic_t *vnic_t_new(struct kunit *test, unsigned int num_queues);
int vnic_t_init(struct kunit *test);
void *vnic_t_alloc(struct vnic_t *t, size_t size, dma_addr_t *dma);
u32 vnic_t_rd(struct vnic_t *t, unsigned int port, u32 off);
void vnic_t_wr(struct vnic_t *t, unsigned int port, u32 off, u32 val);
u32 vnic_t_stat(struct vnic_t *t, unsigned int port, u32 off);
void vnic_t_mac(struct vnic_t *t, unsigned int port, u8 *mac);
u32 vnic_t_txq_reg(const struct vnic_t_txq *tx, u32 reg);
void vnic_t_txq_program(struct vnic_t *t, struct vnic_t_txq *tx, u32 size,
			u64 txd_dma, u64 txc_dma);
void vnic_t_rxq_program(struct vnic_t *t, struct vnic_t_rxq *rx, u32 size,
			u64 rbr_dma, u64 rcq_dma);
void vnic_t_q_ctrl(struct vnic_t *t, unsigned int port, bool tx_on, bool rx_on);
void vnic_t_tx_setup(struct vnic_t *t, unsigned int port, u32 size);
void vnic_t_rxq_post(struct vnic_t *t, struct vnic_t_rxq *rx, u32 n);
void vnic_t_rx_post(struct vnic_t *t, unsigned int port, u32 n);
void vnic_t_rx_setup(struct vnic_t *t, unsigned int port, u32 size);
void vnic_t_start(struct vnic_t *t, u32 size);
void vnic_t_tx_desc(struct vnic_t *t, unsigned int port, u64 addr, u32 len, u64 flags);
void vnic_t_tx_frame(struct vnic_t *t, unsigned int port, const void *frame,
		     u32 len, u64 flags);
void vnic_t_tx_kick(struct vnic_t *t, unsigned int port);
void vnic_t_flush(struct vnic_t *t);
bool vnic_t_txc_next(struct vnic_t *t, unsigned int port, u64 *word);
bool vnic_t_rcq_next(struct vnic_t *t, unsigned int port, u64 *word);
bool vnic_t_txc_none(struct vnic_t *t, unsigned int port);
u64 vnic_t_expect_txc(struct vnic_t *t, unsigned int port, u32 status, u32 head);
u64 vnic_t_expect_rcq(struct vnic_t *t, unsigned int port, u32 status);
void vnic_t_fill_frame(struct vnic_t *t, u8 *frame, u32 len, unsigned int to);
void vnic_t_ip4_hdr(struct iphdr *iph, u32 l4len, u8 proto);
void vnic_t_ip6_hdr(struct ipv6hdr *ip6, u32 len, u8 proto);
void vnic_t_ipv4_hdr(u8 *frame, u32 len, u8 proto);
u32 vnic_t_build_l4(struct vnic_t *t, const struct vnic_t_csum *c, u8 *frame,
		    u32 *l4off, u32 *csum_off, __sum16 *full);
struct vnic_t_irq *vnic_t_irq_request(struct vnic_t *t, unsigned int port,
				      unsigned int vec, bool mask_in_handler);
bool vnic_t_irq_wait(struct vnic_t_irq *ti, int count);
void vnic_t_pause_start(struct vnic_t *t, u32 rx_fc, u32 tx_fc);
void vnic_t_rxq_start(struct vnic_t *t, unsigned int q, u32 buf_size);
u32 vnic_t_rx_one(struct vnic_t *t, const u8 *frame, u32 len, unsigned int q,
		  unsigned int nq, u64 *word, u64 *hword);
void vnic_t_rss_key(struct vnic_t *t, unsigned int port, u32 ctx, const u8 *key);
void vnic_t_rss_indir(struct vnic_t *t, unsigned int port, u32 ctx, const u8 *indir);

/* ---- Microsoft's RSS verification suite ---- */

/**
 * struct vnic_t_ms_vec - one row of the published table
 * @desc: the row, as KUnit names a case
 * @v6: addresses are IPv6
 * @src: source address, text
 * @sport: source port
 * @dst: destination address, text
 * @dport: destination port
 * @hash_l3: the hash over the addresses alone ("IPv4"/"IPv6" column)
 * @hash_l4: the hash over addresses and ports ("with TCP" column)
 */
struct vnic_t_ms_vec {
	const char *desc;
	bool v6;
	const char *src;
	u16 sport;
	const char *dst;
	u16 dport;
	u32 hash_l3;
	u32 hash_l4;
};

/* Rows other suites name: the first two IPv4 rows and the first IPv6 row. */
enum {
	VNIC_T_MS_V4_0 = 0,
	VNIC_T_MS_V4_1 = 1,
	VNIC_T_MS_V6_0 = 5,
	VNIC_T_MS_VECS = 8,
};

extern const u8 vnic_t_ms_key[VNIC_RSS_KEY_SIZE];
extern const struct vnic_t_ms_vec vnic_t_ms_vecs[VNIC_T_MS_VECS];

#endif /* _VNIC_TEST_UTIL_H_ */
