/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated card, as seen from outside it: what the module glue needs to
 * build a card and plug it into the vnic bus, and what tests need to drive a
 * card directly. The driver proper never includes this; it sees only BAR0
 * and interrupts (include/vnic_bus.h, include/vnic_hw.h).
 */
#ifndef _VNIC_CARD_H_
#define _VNIC_CARD_H_

#include <linux/types.h>

#include "vnic_bus.h"

#define VNIC_CARD_PORTS		2

struct vnic_card;

/**
 * struct vnic_card_config - what a new card is built with
 * @id: card number; names its functions and its MAC addresses
 * @num_queues: queue pairs per port, 1..VNIC_HW_MAX_QUEUES
 * @xdp_txqs: TX-only queues per port (VNIC_REG_XDPQ), at most @num_queues;
 *	0 for one per queue pair
 * @speed: wire rate in Mbit/s, 0 for as fast as the machine goes
 * @engine_local: run each DMA engine on the CPU that rang its doorbell,
 *	not on the next one (see driver/card/vnic_engine.c)
 * @platform_data: what the machine tells the driver about each port's
 *	function, as firmware would (dev.platform_data); the card does not
 *	look at it. NULL for none.
 */
struct vnic_card_config {
	u32 id;
	u32 num_queues;
	u32 xdp_txqs;
	u32 speed;
	bool engine_local;
	void *platform_data[VNIC_CARD_PORTS];
};

struct vnic_card *vnic_card_create(const struct vnic_card_config *cfg);
void vnic_card_destroy(struct vnic_card *card);
int vnic_card_plug(struct vnic_card *card);
void vnic_card_unplug(struct vnic_card *card);
struct vnic_bar *vnic_card_bar(struct vnic_card *card, unsigned int port);
int vnic_card_irq(struct vnic_card *card, unsigned int port, unsigned int vec);
u32 vnic_card_id(const struct vnic_card *card);

#endif /* _VNIC_CARD_H_ */
